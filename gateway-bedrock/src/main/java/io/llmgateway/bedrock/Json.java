package io.llmgateway.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.error.InvalidRequestException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.core.document.Document;

/**
 * Converts between JSON text (how the canonical model carries tool schemas and arguments) and the
 * SDK's {@link Document}. Stateless and thread-safe.
 */
final class Json {
  /**
   * The module's one mapper. Decimals stay {@link java.math.BigDecimal}s so that numbers in tool
   * schemas, tool arguments and tool inputs pass through as written.
   */
  static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private Json() {}

  /**
   * Parses a JSON object text, refusing anything else with a message naming {@code param}: "{what}
   * is not valid JSON" or "{what} must be a JSON object".
   */
  static ObjectNode object(String json, String param, String what) {
    return object(json, param, what, " must be a JSON object");
  }

  static ObjectNode object(String json, String param, String what, String notAnObject) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(what + " is not valid JSON", param);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException(what + notAnObject, param);
    }
    return (ObjectNode) node;
  }

  /** Parses a JSON object text, refusing anything else with a message naming {@code param}. */
  static Document objectDocument(String json, String param, String what) {
    JsonNode node;
    try {
      node = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(what + " is not valid JSON", param);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException(what + " must be a JSON object", param);
    }
    return toDocument(node);
  }

  static Document toDocument(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return Document.fromNull();
    }
    if (node.isObject()) {
      Map<String, Document> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), toDocument(e.getValue())));
      return Document.fromMap(map);
    }
    if (node.isArray()) {
      List<Document> list = new ArrayList<>(node.size());
      node.forEach(n -> list.add(toDocument(n)));
      return Document.fromList(list);
    }
    if (node.isBoolean()) {
      return Document.fromBoolean(node.booleanValue());
    }
    if (node.isNumber()) {
      return Document.fromNumber(node.decimalValue().toString());
    }
    return Document.fromString(node.asText());
  }

  static JsonNode toNode(Document doc) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (doc == null || doc.isNull()) {
      return f.nullNode();
    }
    if (doc.isMap()) {
      ObjectNode o = f.objectNode();
      doc.asMap().forEach((k, v) -> o.set(k, toNode(v)));
      return o;
    }
    if (doc.isList()) {
      ArrayNode a = f.arrayNode();
      doc.asList().forEach(v -> a.add(toNode(v)));
      return a;
    }
    if (doc.isBoolean()) {
      return f.booleanNode(doc.asBoolean());
    }
    if (doc.isNumber()) {
      BigDecimal n = doc.asNumber().bigDecimalValue();
      return n.scale() <= 0 ? f.numberNode(n.toBigInteger()) : f.numberNode(n);
    }
    return f.textNode(doc.asString());
  }

  /** JSON text of a parsed value; an absent or null value is the empty object. */
  static String text(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "{}";
    }
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a parsed value", e);
    }
  }

  /** JSON text of a document; an absent document is the empty object. */
  static String text(Document doc) {
    if (doc == null || doc.isNull()) {
      return "{}";
    }
    try {
      return MAPPER.writeValueAsString(toNode(doc));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a parsed document", e);
    }
  }
}

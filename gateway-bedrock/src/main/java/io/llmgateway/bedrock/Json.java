package io.llmgateway.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.error.InvalidRequestException;

/**
 * The shared Jackson mapper and JSON-text helpers (the canonical model carries tool schemas and
 * arguments as JSON text). Stateless and thread-safe.
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
}

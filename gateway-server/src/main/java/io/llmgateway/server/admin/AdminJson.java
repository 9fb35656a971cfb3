package io.llmgateway.server.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.http.HttpProblem;
import io.llmgateway.server.http.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Optional;

/**
 * The admin API's JSON: the server's hardened mapper (same parser limits, duplicate-key refusal)
 * with floats read as {@link java.math.BigDecimal} ({@code 0.017} stays exactly 0.017 on its way to
 * {@link Money#ofUsd}) and decimals written in plain notation. Money is rendered from its exact
 * decimal, never through a double. Thread-safe once built.
 */
final class AdminJson {
  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);

  private final ObjectMapper mapper;

  AdminJson(Json json) {
    this.mapper =
        json.mapper()
            .copy()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .setNodeFactory(NODES);
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** Parses a request body that must be a JSON object. */
  JsonNode parseObject(byte[] body) throws IOException {
    if (body.length == 0) {
      throw HttpProblem.badRequest("request body is empty; send a JSON object");
    }
    JsonNode node = mapper.readTree(body);
    if (node == null || !node.isObject()) {
      throw HttpProblem.badRequest("request body must be a JSON object");
    }
    return node;
  }

  byte[] write(JsonNode node) {
    try {
      return mapper.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  /** Money as a JSON number from its exact decimal ({@code 0.017}, {@code 0}). */
  static JsonNode money(Money m) {
    return NODES.numberNode(m.toUsd());
  }

  static JsonNode money(Optional<Money> m) {
    return m.map(AdminJson::money).orElse(NODES.nullNode());
  }

  static JsonNode text(Optional<String> s) {
    return s.<JsonNode>map(NODES::textNode).orElse(NODES.nullNode());
  }

  static JsonNode time(Optional<Instant> t) {
    return t.<JsonNode>map(i -> NODES.textNode(i.toString())).orElse(NODES.nullNode());
  }
}

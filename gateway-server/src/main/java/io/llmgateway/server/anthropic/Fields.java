package io.llmgateway.server.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.error.InvalidRequestException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Typed reads of a Messages request's JSON, each refusing a wrong type with a 400 naming the
 * parameter's path. Mirrors the OpenAI route's helpers (kept package-private there). Stateless.
 */
final class Fields {
  private Fields() {}

  static boolean present(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  static JsonNode required(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw invalid("'" + path + "' is required", path);
    }
    return v;
  }

  static String requiredString(JsonNode node, String field, String path) {
    JsonNode v = required(node, field, path);
    if (!v.isTextual()) {
      throw invalid("'" + path + "' must be a string", path);
    }
    return v.textValue();
  }

  static Optional<String> optionalString(JsonNode node, String field, String path) {
    if (!present(node, field)) {
      return Optional.empty();
    }
    JsonNode v = node.get(field);
    if (!v.isTextual()) {
      throw invalid("'" + path + "' must be a string", path);
    }
    return Optional.of(v.textValue());
  }

  static OptionalDouble optionalNumber(JsonNode node, String field) {
    if (!present(node, field)) {
      return OptionalDouble.empty();
    }
    JsonNode v = node.get(field);
    if (!v.isNumber()) {
      throw invalid("'" + field + "' must be a number", field);
    }
    return OptionalDouble.of(v.doubleValue());
  }

  /** An integer in [min, max]; 1.0-style integral numbers are accepted. */
  static OptionalInt optionalInt(JsonNode node, String field, long min, long max) {
    if (!present(node, field)) {
      return OptionalInt.empty();
    }
    JsonNode v = node.get(field);
    boolean integral =
        v.isIntegralNumber()
            || (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue()));
    if (!integral) {
      throw invalid("'" + field + "' must be an integer", field);
    }
    if (!v.canConvertToLong() || v.longValue() < min || v.longValue() > max) {
      throw invalid("'" + field + "' must be between " + min + " and " + max, field);
    }
    return OptionalInt.of((int) v.longValue());
  }

  static Optional<Boolean> optionalBoolean(JsonNode node, String field, String path) {
    if (!present(node, field)) {
      return Optional.empty();
    }
    JsonNode v = node.get(field);
    if (!v.isBoolean()) {
      throw invalid("'" + path + "' must be a boolean", path);
    }
    return Optional.of(v.booleanValue());
  }

  static JsonNode object(JsonNode v, String path) {
    if (!v.isObject()) {
      throw invalid("'" + path + "' must be an object", path);
    }
    return v;
  }

  static JsonNode array(JsonNode v, String path) {
    if (!v.isArray()) {
      throw invalid("'" + path + "' must be an array", path);
    }
    return v;
  }

  static InvalidRequestException invalid(String message, String param) {
    return new InvalidRequestException(message, param);
  }

  /** Echo at most 64 characters of a caller's value in an error message. */
  static String clip(String s) {
    String printable = s.replaceAll("[\\p{Cntrl}]", "?");
    return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
  }
}

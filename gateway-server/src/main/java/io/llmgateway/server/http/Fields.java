package io.llmgateway.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.error.InvalidRequestException;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Typed reads of request JSON, each refusing a wrong type with a 400 ({@link
 * InvalidRequestException}) that names the offending field's path ({@code param}); every route's
 * error writer gives it its API's shape. A JSON {@code null} counts as absent, as in OpenAI's and
 * Anthropic's APIs. Stateless.
 */
public final class Fields {
  private Fields() {}

  public static boolean present(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && !v.isNull();
  }

  public static JsonNode required(JsonNode node, String field, String path) {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      throw invalid("'" + path + "' is required", path);
    }
    return v;
  }

  public static String requiredString(JsonNode node, String field, String path) {
    JsonNode v = required(node, field, path);
    if (!v.isTextual()) {
      throw invalid("'" + path + "' must be a string", path);
    }
    return v.textValue();
  }

  public static Optional<String> optionalString(JsonNode node, String field, String path) {
    if (!present(node, field)) {
      return Optional.empty();
    }
    JsonNode v = node.get(field);
    if (!v.isTextual()) {
      throw invalid("'" + path + "' must be a string", path);
    }
    return Optional.of(v.textValue());
  }

  public static OptionalDouble optionalNumber(JsonNode node, String field) {
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
  public static OptionalInt optionalInt(JsonNode node, String field, long min, long max) {
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

  public static Optional<Boolean> optionalBoolean(JsonNode node, String field, String path) {
    if (!present(node, field)) {
      return Optional.empty();
    }
    JsonNode v = node.get(field);
    if (!v.isBoolean()) {
      throw invalid("'" + path + "' must be a boolean", path);
    }
    return Optional.of(v.booleanValue());
  }

  public static JsonNode object(JsonNode v, String path) {
    if (!v.isObject()) {
      throw invalid("'" + path + "' must be an object", path);
    }
    return v;
  }

  public static JsonNode array(JsonNode v, String path) {
    if (!v.isArray()) {
      throw invalid("'" + path + "' must be an array", path);
    }
    return v;
  }

  public static InvalidRequestException invalid(String message, String param) {
    return new InvalidRequestException(message, param);
  }

  /** Echo at most 64 characters of a caller's value in an error message. */
  public static String clip(String s) {
    String printable = s.replaceAll("[\\p{Cntrl}]", "?");
    return printable.length() <= 64 ? printable : printable.substring(0, 64) + "...";
  }
}

package io.llmgateway.server.http;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An error as sent to a client: HTTP status, extra headers, and OpenAI's body {@code
 * {"error":{"message","type","param","code"}}}. Immutable and thread-safe.
 */
public record ApiError(
    int status,
    String type,
    String code,
    String message,
    Optional<String> param,
    Map<String, String> headers) {
  public ApiError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(param, "param");
    headers = Map.copyOf(headers);
  }

  public ApiError(int status, String type, String code, String message) {
    this(status, type, code, message, Optional.empty(), Map.of());
  }
}

package io.llmgateway.server.http;

import io.llmgateway.core.error.Problem;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * An error as sent to a client: HTTP status, extra headers, and OpenAI's body {@code
 * {"error":{"message","type","param","code"}}}, plus {@code problems} (every problem of a request
 * refused for several at once; the first is also message and param). Immutable and thread-safe.
 */
public record ApiError(
    int status,
    String type,
    String code,
    String message,
    Optional<String> param,
    Map<String, String> headers,
    List<Problem> problems) {
  public ApiError {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(param, "param");
    headers = Map.copyOf(headers);
    problems = List.copyOf(problems);
  }

  public ApiError(
      int status,
      String type,
      String code,
      String message,
      Optional<String> param,
      Map<String, String> headers) {
    this(status, type, code, message, param, headers, List.of());
  }

  public ApiError(int status, String type, String code, String message) {
    this(status, type, code, message, Optional.empty(), Map.of());
  }
}

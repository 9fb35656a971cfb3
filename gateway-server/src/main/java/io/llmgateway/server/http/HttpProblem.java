package io.llmgateway.server.http;

import java.util.Map;
import java.util.Optional;

/**
 * An HTTP-level refusal that is not a gateway domain error: body too large, bad JSON, wrong content
 * type, unknown route. Messages are safe to show a client. Immutable.
 */
public final class HttpProblem extends RuntimeException {
  private final int status;
  private final String type;
  private final String code;
  private final String param;
  private final Map<String, String> headers;

  public HttpProblem(int status, String type, String code, String message, String param) {
    this(status, type, code, message, param, Map.of());
  }

  public HttpProblem(
      int status,
      String type,
      String code,
      String message,
      String param,
      Map<String, String> headers) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.code = code;
    this.param = param;
    this.headers = Map.copyOf(headers);
  }

  /** A body that did not arrive within the request timeout. */
  public static HttpProblem timeout() {
    return new HttpProblem(
        408,
        "invalid_request_error",
        "request_timeout",
        "the request body did not arrive in time",
        null,
        Map.of("Connection", "close"));
  }

  public static HttpProblem badRequest(String message) {
    return new HttpProblem(400, "invalid_request_error", "invalid_request", message, null);
  }

  public static HttpProblem badRequest(String message, String param) {
    return new HttpProblem(400, "invalid_request_error", "invalid_request", message, param);
  }

  public static HttpProblem tooLarge(long limit) {
    return new HttpProblem(
        413,
        "invalid_request_error",
        "request_too_large",
        "request body is larger than the limit of " + limit + " bytes",
        null);
  }

  public static HttpProblem notFound(String message) {
    return new HttpProblem(404, "not_found_error", "not_found", message, null);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public String code() {
    return code;
  }

  /** Extra response headers ({@code retry-after} ...). */
  public Map<String, String> headers() {
    return headers;
  }

  public Optional<String> param() {
    return Optional.ofNullable(param);
  }
}

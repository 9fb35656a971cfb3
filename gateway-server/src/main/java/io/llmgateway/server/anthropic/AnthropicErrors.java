package io.llmgateway.server.anthropic;

import io.javalin.http.Context;
import io.llmgateway.server.http.ApiError;
import io.llmgateway.server.http.ErrorMapper;
import io.llmgateway.server.http.Json;
import io.llmgateway.server.http.RequestAttributes;
import io.llmgateway.server.http.RequestIds;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Errors on the Messages routes in Anthropic's shape, {@code {"type":"error","error":{"type",
 * "message"},"request_id"}}, from the one {@link ErrorMapper} every route uses (so the decisions,
 * messages and headers are the OpenAI route's). Anthropic's error type follows the status; two
 * statuses differ from the OpenAI route, because Anthropic's clients read them: an overloaded or
 * throttled upstream is 529 {@code overloaded_error} (503 there), and a budget refusal, still 429
 * {@code rate_limit_error} with {@code retry-after} and the {@code x-budget-*} headers, also sends
 * {@code x-should-retry: false} (the Anthropic SDKs honour it; waiting seconds cannot help a budget
 * that resets at the window's end). Thread-safe.
 */
final class AnthropicErrors {
  private static final Logger log = LoggerFactory.getLogger(AnthropicErrors.class);

  private final ErrorMapper mapper;
  private final Json json;

  AnthropicErrors(ErrorMapper mapper, Json json) {
    this.mapper = mapper;
    this.json = json;
  }

  /** Maps {@code error}, records it for the access and request logs, and sends it. */
  void respond(Throwable error, Context ctx) {
    ApiError api = anthropic(mapper.map(error));
    if (api.status() >= 500 && api.code().equals("internal_error")) {
      log.error("request {} failed: {}", RequestIds.of(ctx), ctx.path(), error);
    }
    ctx.attribute(RequestAttributes.ERROR_CODE, api.code());
    ctx.attribute(RequestAttributes.ERROR, error);
    ctx.status(api.status());
    api.headers().forEach(ctx::header);
    ctx.contentType("application/json");
    ctx.result(body(api, RequestIds.of(ctx)));
  }

  /** The mapped error of a failure after the stream started (sent as an {@code error} event). */
  ApiError map(Throwable error) {
    return anthropic(mapper.map(error));
  }

  byte[] body(ApiError api, String requestId) {
    return json.write(
        g -> {
          g.writeStartObject();
          g.writeStringField("type", "error");
          g.writeObjectFieldStart("error");
          g.writeStringField("type", api.type());
          g.writeStringField("message", api.message());
          g.writeEndObject();
          g.writeStringField("request_id", requestId);
          g.writeEndObject();
        });
  }

  /** The OpenAI-route error with Anthropic's status and type (the code is kept for logs). */
  static ApiError anthropic(ApiError e) {
    Map<String, String> headers = new LinkedHashMap<>(e.headers());
    int status = e.status();
    String type;
    if (status == 503 && e.type().equals("upstream_error")) {
      status = 529;
      type = "overloaded_error";
    } else {
      type =
          switch (status) {
            case 400, 408, 422 -> "invalid_request_error";
            case 401 -> "authentication_error";
            case 403 -> "permission_error";
            case 404 -> "not_found_error";
            case 413 -> "request_too_large";
            case 429 -> "rate_limit_error";
            case 504 -> "timeout_error";
            default -> "api_error";
          };
    }
    if (e.type().equals("budget_exceeded")) {
      headers.put("x-should-retry", "false");
    }
    return new ApiError(status, type, e.code(), e.message(), e.param(), headers, e.problems());
  }
}

package io.llmgateway.server.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.ModelNotAllowedException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.error.UnknownModelException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The one place where failures become HTTP errors: an exhaustive switch over the core's sealed
 * {@link GatewayException}, plus the server's own {@link HttpProblem}s and parse errors. Anything
 * else is a 500 whose body says only "internal error" and the request id. Stateless apart from the
 * clock (for {@code retry-after} on budget refusals); thread-safe.
 *
 * <p>Status choices (see docs/SERVER.md, "Errors"): unknown model is 404 like OpenAI's {@code
 * model_not_found}; a model the key may not use is 403 (LiteLLM answers 401, which makes clients
 * think the key itself is bad); budget and rate refusals are 429 with {@code retry-after}.
 */
public final class ErrorMapper {
  private final Clock clock;

  public ErrorMapper(Clock clock) {
    this.clock = clock;
  }

  public ApiError map(Throwable error) {
    return switch (error) {
      case GatewayException g -> map(g);
      case HttpProblem p ->
          new ApiError(p.status(), p.type(), p.code(), p.getMessage(), p.param(), p.headers());
      case StreamConstraintsException c ->
          new ApiError(
              400,
              "invalid_request_error",
              "invalid_json",
              "request JSON exceeds a parser limit (nesting depth, string or number length)");
      case JsonProcessingException j ->
          new ApiError(
              400,
              "invalid_request_error",
              "invalid_json",
              "request body is not valid JSON"
                  + Optional.ofNullable(j.getLocation())
                      .map(l -> " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")")
                      .orElse(""));
      default -> internal();
    };
  }

  public static ApiError internal() {
    return new ApiError(500, "internal_error", "internal_error", "internal error");
  }

  private ApiError map(GatewayException error) {
    String msg = error.getMessage();
    return switch (error) {
      case AuthenticationException a -> new ApiError(401, "authentication_error", a.code(), msg);
      case PermissionDeniedException p -> new ApiError(403, "permission_error", p.code(), msg);
      case ModelNotAllowedException m ->
          new ApiError(403, "permission_error", m.code(), msg, Optional.of("model"), Map.of());
      case UnknownModelException u ->
          new ApiError(404, "invalid_request_error", u.code(), msg, Optional.of("model"), Map.of());
      case BudgetExceededException b -> budget(b);
      case RateLimitedException r ->
          new ApiError(
              429,
              "rate_limit_error",
              r.code(),
              msg,
              Optional.empty(),
              Map.of("retry-after", seconds(r.retryAfter())));
      case InvalidRequestException i ->
          new ApiError(
              400, "invalid_request_error", i.code(), msg, i.param(), Map.of(), i.problems());
      case NotFoundException n -> new ApiError(404, "not_found_error", n.code(), msg);
      case ConflictException c -> new ApiError(409, "conflict_error", c.code(), msg);
      case ProviderRejectedException p -> rejected(p);
      case ProviderUnavailableException p -> unavailable(p);
      case StorageUnavailableException s ->
          new ApiError(
              503,
              "service_unavailable_error",
              s.code(),
              "the gateway's database is unavailable; the request was not admitted",
              Optional.empty(),
              Map.of("retry-after", "5"));
    };
  }

  private ApiError budget(BudgetExceededException b) {
    Duration untilReset = Duration.between(clock.instant(), b.resetsAt());
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("retry-after", seconds(untilReset));
    headers.put("x-budget-window", b.window().label());
    headers.put("x-budget-scope", b.scope().kind().label());
    headers.put("x-budget-resets-at", b.resetsAt().toString());
    headers.put("x-budget-limit-usd", b.limit().toUsdString());
    return new ApiError(
        429, "budget_exceeded", b.code(), b.getMessage(), Optional.empty(), headers);
  }

  private static ApiError rejected(ProviderRejectedException p) {
    // 400/422 from the provider means this request cannot be served as sent; anything else
    // (403 access denied, 404 unknown model id) is the gateway's configuration, not the caller's.
    if (p.upstreamStatus() == 400 || p.upstreamStatus() == 422 || p.upstreamStatus() == 413) {
      return new ApiError(400, "invalid_request_error", p.code(), p.getMessage());
    }
    return new ApiError(502, "upstream_error", p.code(), p.getMessage());
  }

  private static ApiError unavailable(ProviderUnavailableException p) {
    int status =
        switch (p.kind()) {
          case THROTTLED, UNAVAILABLE -> 503;
          case TIMEOUT -> 504;
          case BAD_RESPONSE -> 502;
        };
    Map<String, String> headers =
        p.retryAfter().map(d -> Map.of("retry-after", seconds(d))).orElse(Map.of());
    if (headers.isEmpty() && p.kind() == ProviderUnavailableException.Kind.THROTTLED) {
      headers = Map.of("retry-after", "1");
    }
    return new ApiError(
        status, "upstream_error", p.code(), p.getMessage(), Optional.empty(), headers);
  }

  /** Whole seconds, rounded up, at least 1 (HTTP's delay-seconds). */
  static String seconds(Duration d) {
    long s = Math.max(1, (d.toMillis() + 999) / 1000);
    return Long.toString(s);
  }
}

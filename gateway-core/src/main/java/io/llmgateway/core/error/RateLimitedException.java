package io.llmgateway.core.error;

import java.time.Duration;

/** A requests-per-minute, tokens-per-minute or parallel-requests limit is reached. */
public final class RateLimitedException extends GatewayException {

  /** Which limit refused the request. */
  public enum Limit {
    REQUESTS_PER_MINUTE,
    TOKENS_PER_MINUTE,
    PARALLEL_REQUESTS
  }

  private final Limit limit;
  private final String scope;
  private final Duration retryAfter;

  public RateLimitedException(Limit limit, String scope, long max, Duration retryAfter) {
    super(
        "rate limit reached: "
            + scope
            + " "
            + limit.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
            + " limit is "
            + max
            + "; retry after "
            + Math.max(1, retryAfter.toSeconds())
            + "s");
    this.limit = limit;
    this.scope = scope;
    this.retryAfter = retryAfter;
  }

  public Limit limit() {
    return limit;
  }

  /** What the limit is on: {@code key}, {@code user} or {@code team} (scopes are "kind:id"). */
  public String scopeKind() {
    int colon = scope.indexOf(':');
    return colon > 0 ? scope.substring(0, colon) : scope;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  @Override
  public String code() {
    return "rate_limit_exceeded";
  }
}

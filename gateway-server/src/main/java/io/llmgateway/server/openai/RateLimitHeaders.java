package io.llmgateway.server.openai;

import io.javalin.http.Context;
import io.llmgateway.core.AdmissionListener;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.ratelimit.RateRemaining;
import io.llmgateway.core.ratelimit.RateStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The {@code x-ratelimit-*} response headers OpenAI and LiteLLM send on chat completions: {@code
 * limit}, {@code remaining} and {@code reset} for requests and for tokens. Before admission the
 * key's own configured limits are set (so a refusal carries them too); on admission they are
 * replaced by what the rate limiter reported when it counted the request: per kind, the tightest
 * scope (key, user or team) with its own limit, so {@code limit - remaining} is that scope's use
 * this minute. The numbers come from the one admission statement: no extra database round trip.
 * Stateless and thread-safe.
 */
final class RateLimitHeaders {
  static final String LIMIT_REQUESTS = "x-ratelimit-limit-requests";
  static final String LIMIT_TOKENS = "x-ratelimit-limit-tokens";

  private RateLimitHeaders() {}

  /** The caller's key's configured limits, sent whatever happens next. */
  static void configured(Context ctx, Principal principal) {
    if (principal instanceof Principal.Keyed k) {
      RateLimits limits = k.key().rateLimits();
      limits.rpm().ifPresent(v -> ctx.header(LIMIT_REQUESTS, Long.toString(v)));
      limits.tpm().ifPresent(v -> ctx.header(LIMIT_TOKENS, Long.toString(v)));
    }
  }

  /**
   * Sets the admitted request's limits, remaining counts and resets. The gateway calls it before
   * the upstream call, so for a stream the headers are set before its first byte.
   */
  static AdmissionListener onAdmission(Context ctx, Clock clock) {
    return grant ->
        grant
            .rate()
            .ifPresent(
                rate -> {
                  String reset = reset(rate, clock.instant());
                  rate.requests().ifPresent(r -> set(ctx, "requests", r, reset));
                  rate.tokens().ifPresent(r -> set(ctx, "tokens", r, reset));
                });
  }

  private static void set(Context ctx, String kind, RateRemaining r, String reset) {
    ctx.header("x-ratelimit-limit-" + kind, Long.toString(r.limit()));
    ctx.header("x-ratelimit-remaining-" + kind, Long.toString(r.remaining()));
    ctx.header("x-ratelimit-reset-" + kind, reset);
  }

  /**
   * Whole seconds (rounded up) until the fixed UTC minute of the counts ends, as OpenAI writes
   * durations ("12s"): both limits reset together, at the next minute.
   */
  static String reset(RateStatus rate, Instant now) {
    Duration left = Duration.between(now, rate.windowEnd());
    if (left.isNegative()) {
      return "0s";
    }
    long seconds = left.getSeconds() + (left.getNano() > 0 ? 1 : 0);
    return seconds + "s";
  }
}

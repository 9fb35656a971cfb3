package io.llmgateway.core.ratelimit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Proof that a request was admitted by the rate limiter; give it back with {@link
 * RateLimiter#release}. Immutable and thread-safe.
 */
public record RatePermit(
    String id, List<RateScope> scopes, String minute, long estimatedTokens, Instant expiresAt) {
  public RatePermit {
    Objects.requireNonNull(id, "id");
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(minute, "minute");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}

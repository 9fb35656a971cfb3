package io.llmgateway.core.ratelimit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Proof that a request was admitted by the rate limiter; give it back with {@link
 * RateLimiter#release}. Immutable and thread-safe.
 *
 * @param minute the UTC minute the request was counted in, as {@link Instant#toString()} of its
 *     start
 * @param status what the RPM and TPM limits had left right after counting this request
 */
public record RatePermit(
    String id,
    List<RateScope> scopes,
    String minute,
    long estimatedTokens,
    Instant expiresAt,
    RateStatus status) {
  public RatePermit {
    Objects.requireNonNull(id, "id");
    scopes = List.copyOf(scopes);
    Objects.requireNonNull(minute, "minute");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(status, "status");
  }
}

package io.llmgateway.core.identity;

import java.util.OptionalLong;

/**
 * Optional request-rate limits for one scope: requests per minute, tokens per minute, requests in
 * flight at once. An absent limit means unlimited. Immutable and thread-safe.
 */
public record RateLimits(OptionalLong rpm, OptionalLong tpm, OptionalLong maxParallel) {

  public static final RateLimits NONE =
      new RateLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());

  public RateLimits {
    check("rpm", rpm);
    check("tpm", tpm);
    check("max_parallel_requests", maxParallel);
  }

  private static void check(String name, OptionalLong v) {
    if (v.isPresent() && (v.getAsLong() < 1 || v.getAsLong() > 1_000_000_000L)) {
      throw new IllegalArgumentException(name + " must be between 1 and 1000000000");
    }
  }

  public boolean isEmpty() {
    return rpm.isEmpty() && tpm.isEmpty() && maxParallel.isEmpty();
  }

  public RateLimits withRpm(OptionalLong value) {
    return new RateLimits(value, tpm, maxParallel);
  }
}

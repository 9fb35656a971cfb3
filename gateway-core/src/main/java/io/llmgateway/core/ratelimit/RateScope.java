package io.llmgateway.core.ratelimit;

import io.llmgateway.core.identity.RateLimits;
import java.util.Objects;

/**
 * One set of rate limits applied to one owner, e.g. key {@code key_1} or team {@code coding}.
 * Immutable and thread-safe.
 */
public record RateScope(String scope, RateLimits limits) {
  public RateScope {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(limits, "limits");
  }
}

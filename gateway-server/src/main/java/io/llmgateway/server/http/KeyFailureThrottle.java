package io.llmgateway.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts failed API-key attempts per client address ({@link ClientAddress}) in a one-minute window
 * that starts at the first failure; once an address reaches the limit, keys it presents are refused
 * (429) without a database lookup until the window ends. Keys already known good (in the
 * authenticator's cache) still pass, so a guesser behind the same NAT does not lock out callers
 * whose keys were just used. Per instance, in memory, at most 100,000 addresses. Thread-safe.
 */
public final class KeyFailureThrottle {
  static final Duration WINDOW = Duration.ofMinutes(1);

  private final int perWindow;
  private final Cache<String, AtomicInteger> failures =
      Caffeine.newBuilder().expireAfterWrite(WINDOW).maximumSize(100_000).build();

  public KeyFailureThrottle(int perWindow) {
    this.perWindow = perWindow;
  }

  public boolean blocked(String address) {
    AtomicInteger n = failures.getIfPresent(address);
    return n != null && n.get() >= perWindow;
  }

  /** Counts one failure; reading an entry does not extend its window, only creating it does. */
  public void failed(String address) {
    failures.get(address, a -> new AtomicInteger()).incrementAndGet();
  }

  public HttpProblem refusal() {
    return new HttpProblem(
        429,
        "rate_limit_error",
        "too_many_failed_keys",
        "too many requests with invalid API keys from this address; retry later",
        null,
        java.util.Map.of("retry-after", Long.toString(WINDOW.toSeconds())));
  }
}

package io.llmgateway.bedrock;

import java.time.Duration;
import java.util.Objects;

/**
 * How the offline mock provider behaves: delay before the first token, delay between tokens, and
 * how many output tokens it produces (capped by the request's output cap). Zero delays never sleep.
 * Immutable and thread-safe.
 */
public record MockSettings(Duration firstTokenLatency, Duration interTokenDelay, int outputTokens) {
  public MockSettings {
    Objects.requireNonNull(firstTokenLatency, "firstTokenLatency");
    Objects.requireNonNull(interTokenDelay, "interTokenDelay");
    if (firstTokenLatency.isNegative() || interTokenDelay.isNegative()) {
      throw new IllegalArgumentException("mock delays must not be negative");
    }
    if (outputTokens < 1 || outputTokens > 100_000) {
      throw new IllegalArgumentException("mock output tokens must be between 1 and 100000");
    }
  }

  /** No delays, 16 output tokens. */
  public static MockSettings defaults() {
    return new MockSettings(Duration.ZERO, Duration.ZERO, 16);
  }

  public MockSettings withFirstTokenLatency(Duration v) {
    return new MockSettings(v, interTokenDelay, outputTokens);
  }

  public MockSettings withInterTokenDelay(Duration v) {
    return new MockSettings(firstTokenLatency, v, outputTokens);
  }

  public MockSettings withOutputTokens(int v) {
    return new MockSettings(firstTokenLatency, interTokenDelay, v);
  }
}

package io.llmgateway.core.provider;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/** The outcome of a health probe. Immutable and thread-safe. */
public record HealthStatus(State state, String detail, Duration latency, Instant checkedAt) {

  /** HEALTHY: answered. DEGRADED: reachable but throttled. UNHEALTHY: misconfigured or down. */
  public enum State {
    HEALTHY,
    DEGRADED,
    UNHEALTHY
  }

  public HealthStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(checkedAt, "checkedAt");
  }
}

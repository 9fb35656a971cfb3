package io.llmgateway.core.budget;

import java.time.Instant;
import java.util.Objects;

/**
 * One concrete period of a {@link BudgetWindow}: its key ({@code 2026-11-27}) and the instants it
 * starts (inclusive) and ends (exclusive). Immutable and thread-safe.
 */
public record WindowPeriod(BudgetWindow window, String key, Instant start, Instant end) {
  public WindowPeriod {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(key, "key");
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("period must end after it starts");
    }
  }
}

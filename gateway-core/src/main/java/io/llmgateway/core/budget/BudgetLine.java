package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * One budget that applies to a request: the counter it draws on, the limit it must stay under, when
 * its period ends, and until when that limit holds ({@code limitUntil}: the period's end, or
 * earlier when a temporary increase in it expires). Nothing may be admitted on this line's limit at
 * or after {@code limitUntil}: a budget lease stops admitting then (docs/CORE.md, "Temporary
 * increases"). Immutable and thread-safe.
 */
public record BudgetLine(CounterKey counter, Money limit, Instant resetsAt, Instant limitUntil) {
  public BudgetLine {
    Objects.requireNonNull(counter, "counter");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(resetsAt, "resetsAt");
    Objects.requireNonNull(limitUntil, "limitUntil");
    if (limitUntil.isAfter(resetsAt)) {
      limitUntil = resetsAt;
    }
  }

  /** A line whose limit holds for its whole period. */
  public BudgetLine(CounterKey counter, Money limit, Instant resetsAt) {
    this(counter, limit, resetsAt, resetsAt);
  }
}

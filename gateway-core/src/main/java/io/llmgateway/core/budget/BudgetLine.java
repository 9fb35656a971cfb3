package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * One budget that applies to a request: the counter it draws on, the limit it must stay under, and
 * when its period ends. Immutable and thread-safe.
 */
public record BudgetLine(CounterKey counter, Money limit, Instant resetsAt) {
  public BudgetLine {
    Objects.requireNonNull(counter, "counter");
    Objects.requireNonNull(limit, "limit");
    Objects.requireNonNull(resetsAt, "resetsAt");
  }
}

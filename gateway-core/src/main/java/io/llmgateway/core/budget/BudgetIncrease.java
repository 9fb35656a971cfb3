package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.Objects;

/**
 * A temporary budget increase (LiteLLM's {@code temp_budget_increase} + {@code
 * temp_budget_expiry}): every budget window of its scope is {@code amount} higher until {@code
 * expiresAt} (exclusive), then falls back. Which lines it raises and until when is decided in one
 * place, {@code internal/BudgetPlan}. Immutable and thread-safe.
 */
public record BudgetIncrease(Money amount, Instant expiresAt) {
  public BudgetIncrease {
    Objects.requireNonNull(amount, "amount");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  /** Whether it raises the limits at {@code now}: strictly before its expiry. */
  public boolean activeAt(Instant now) {
    return now.isBefore(expiresAt);
  }

  /** {@code limit} raised by this increase if it is active at {@code now}. */
  public Money raise(Money limit, Instant now) {
    return activeAt(now) ? raised(limit) : limit;
  }

  /**
   * {@code limit} plus the increase, at most {@link Money#MAX} (both are at most MAX: no overflow).
   */
  public Money raised(Money limit) {
    return Money.ofNanos(Math.min(limit.nanos() + amount.nanos(), Money.MAX.nanos()));
  }
}

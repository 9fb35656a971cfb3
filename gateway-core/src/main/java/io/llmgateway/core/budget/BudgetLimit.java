package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import java.util.Objects;

/** A spending cap for one window, e.g. $0.017 per day. Immutable and thread-safe. */
public record BudgetLimit(BudgetWindow window, Money limit) {
  public BudgetLimit {
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(limit, "limit");
  }

  public static BudgetLimit daily(Money limit) {
    return new BudgetLimit(BudgetWindow.DAILY, limit);
  }

  public static BudgetLimit monthly(Money limit) {
    return new BudgetLimit(BudgetWindow.MONTHLY, limit);
  }
}

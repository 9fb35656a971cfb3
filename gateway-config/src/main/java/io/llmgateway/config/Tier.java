package io.llmgateway.config;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import java.util.List;
import java.util.Objects;

/**
 * One tier of {@code config/tiers.yaml}: a team whose every member gets {@code daily} and {@code
 * monthly} budgets and may use {@code allowedModels}. Immutable and thread-safe.
 */
public record Tier(
    String name, String displayName, Money daily, Money monthly, List<String> allowedModels) {
  public Tier {
    if (name == null || !name.matches("[a-z0-9][a-z0-9_-]{0,62}")) {
      throw new IllegalArgumentException(
          "tier name '" + name + "' must be lower-case letters, digits, '-' or '_'");
    }
    Objects.requireNonNull(displayName, "displayName");
    Objects.requireNonNull(daily, "daily");
    Objects.requireNonNull(monthly, "monthly");
    allowedModels = List.copyOf(allowedModels);
    if (allowedModels.isEmpty()) {
      throw new IllegalArgumentException("tier '" + name + "' allows no models");
    }
    if (daily.compareTo(monthly) > 0) {
      throw new IllegalArgumentException(
          "tier '" + name + "' has a daily budget above its monthly budget");
    }
  }

  /** The per-member budgets this tier gives. */
  public List<BudgetLimit> memberBudgets() {
    return List.of(BudgetLimit.daily(daily), BudgetLimit.monthly(monthly));
  }
}

package io.llmgateway.core.identity;

import io.llmgateway.core.budget.BudgetLimit;
import java.util.EnumSet;
import java.util.List;

/** A scope carries at most one limit per window. */
final class Budgets {
  private Budgets() {}

  static List<BudgetLimit> oneLimitPerWindow(String what, List<BudgetLimit> limits) {
    var seen = EnumSet.noneOf(io.llmgateway.core.budget.BudgetWindow.class);
    for (BudgetLimit l : limits) {
      if (!seen.add(l.window())) {
        throw new IllegalArgumentException(
            what + " has two " + l.window().label() + " limits; give one per window");
      }
    }
    return List.copyOf(limits);
  }
}

package io.llmgateway.cli.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import java.math.BigDecimal;
import java.util.List;

/** The core's values written as admin API request fields (docs/ADMIN_API.md). Stateless. */
final class ApiBodies {
  private ApiBodies() {}

  static void models(ObjectNode b, List<String> models) {
    ArrayNode a = b.putArray("models");
    models.forEach(a::add);
  }

  /** Every window in our {@code budgets} extension; money as an exact decimal, never a double. */
  static void budgets(ObjectNode b, List<BudgetLimit> budgets) {
    budgets(b, "budgets", budgets);
  }

  /** The same for another list field ({@code member_budgets}). */
  static void budgets(ObjectNode b, String field, List<BudgetLimit> budgets) {
    ArrayNode a = b.putArray(field);
    for (BudgetLimit l : budgets) {
      a.addObject()
          .put("window", l.window().label())
          .put("max_budget", BigDecimal.valueOf(l.limit().nanos(), 9).stripTrailingZeros());
    }
  }

  static void rateLimits(ObjectNode b, RateLimits r) {
    r.rpm().ifPresent(v -> b.put("rpm_limit", v));
    r.tpm().ifPresent(v -> b.put("tpm_limit", v));
    r.maxParallel().ifPresent(v -> b.put("max_parallel_requests", v));
  }

  /** LiteLLM's temporary increase on an update body. */
  static void increase(
      ObjectNode b, java.util.Optional<io.llmgateway.core.budget.BudgetIncrease> increase) {
    increase.ifPresent(
        v -> {
          b.put("temp_budget_increase", v.amount().toUsd());
          b.put("temp_budget_expiry", v.expiresAt().toString());
        });
  }
}

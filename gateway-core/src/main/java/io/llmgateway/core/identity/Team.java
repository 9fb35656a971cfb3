package io.llmgateway.core.identity;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A team, usually a tier (drafting, coding, architect). {@code models} lists the logical models
 * members may use (empty: every model). {@code teamBudgets} cap the whole team's spend; {@code
 * memberBudgets} give each member their own daily/monthly budget. {@code budgetIncrease} raises the
 * team-wide caps (not the member budgets) until it expires. Immutable and thread-safe.
 */
public record Team(
    String id,
    String alias,
    Optional<String> tier,
    List<String> models,
    List<BudgetLimit> teamBudgets,
    List<BudgetLimit> memberBudgets,
    RateLimits rateLimits,
    boolean blocked,
    Map<String, Object> metadata,
    Instant createdAt,
    Instant updatedAt,
    Optional<BudgetIncrease> budgetIncrease) {

  public Team {
    Ids.require("team_id", id);
    Ids.requireText("team_alias", alias);
    Objects.requireNonNull(tier, "tier");
    models = List.copyOf(models);
    teamBudgets = Budgets.oneLimitPerWindow("team budget", teamBudgets);
    memberBudgets = Budgets.oneLimitPerWindow("member budget", memberBudgets);
    Objects.requireNonNull(rateLimits, "rateLimits");
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(budgetIncrease, "budgetIncrease");
  }

  public boolean allowsModel(String model) {
    return models.isEmpty() || models.contains(model);
  }
}

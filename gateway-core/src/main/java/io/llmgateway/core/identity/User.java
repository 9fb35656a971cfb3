package io.llmgateway.core.identity;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A person (or service) who owns keys. A user belongs to at most one team; {@code budgets} override
 * the team's per-member budget for the same window (e.g. the onboarding CSV's per-user daily
 * budget). {@code budgetIncrease} raises the user's budgets (its own or its team's per-member ones)
 * until it expires. Immutable and thread-safe.
 */
public record User(
    String id,
    Optional<String> email,
    Optional<String> alias,
    Optional<String> teamId,
    UserRole role,
    List<String> models,
    List<BudgetLimit> budgets,
    RateLimits rateLimits,
    Map<String, Object> metadata,
    Instant createdAt,
    Instant updatedAt,
    Optional<BudgetIncrease> budgetIncrease) {

  public User {
    Ids.require("user_id", id);
    Objects.requireNonNull(email, "email");
    email.ifPresent(e -> Ids.requireText("user_email", e));
    Objects.requireNonNull(alias, "alias");
    alias.ifPresent(a -> Ids.requireText("user_alias", a));
    Objects.requireNonNull(teamId, "teamId");
    Objects.requireNonNull(role, "role");
    models = List.copyOf(models);
    budgets = Budgets.oneLimitPerWindow("user budget", budgets);
    Objects.requireNonNull(rateLimits, "rateLimits");
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(budgetIncrease, "budgetIncrease");
  }

  /**
   * This user's budgets as a member of {@code team}: the user's own limit for a window overrides
   * the team's per-member limit for that window (the onboarding CSV's per-user budget over the
   * tier's).
   */
  public List<BudgetLimit> effectiveBudgets(Optional<Team> team) {
    var byWindow =
        new java.util.EnumMap<io.llmgateway.core.budget.BudgetWindow, BudgetLimit>(
            io.llmgateway.core.budget.BudgetWindow.class);
    team.ifPresent(t -> t.memberBudgets().forEach(b -> byWindow.put(b.window(), b)));
    budgets.forEach(b -> byWindow.put(b.window(), b));
    return List.copyOf(byWindow.values());
  }
}

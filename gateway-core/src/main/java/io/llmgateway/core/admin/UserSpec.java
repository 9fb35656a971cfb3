package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.UserRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command to create a user. {@code teamId} may name the team by id or alias; without a {@code
 * userId} one is generated. {@code budgets} override the team's per-member budgets window by
 * window. Validates itself; immutable and thread-safe.
 */
public record UserSpec(
    Optional<String> userId,
    Optional<String> email,
    Optional<String> alias,
    Optional<String> teamId,
    UserRole role,
    List<String> models,
    List<BudgetLimit> budgets,
    RateLimits rateLimits,
    Map<String, Object> metadata) {

  public UserSpec {
    Validation.optionalId("user_id", userId);
    Validation.optionalText("user_email", email);
    Validation.optionalAlias("user_alias", alias);
    Validation.optionalText("team_id", teamId);
    Validation.required("user_role", role);
    models = Validation.models("models", models);
    budgets = Validation.budgets("budgets", budgets);
    Validation.required("rate_limits", rateLimits);
    metadata = Validation.metadata("metadata", metadata);
  }

  /** An internal user with this id in this team (id or alias), with the team's defaults. */
  public static UserSpec member(String userId, String team) {
    return new UserSpec(
        Optional.of(userId),
        Optional.empty(),
        Optional.empty(),
        Optional.of(team),
        UserRole.INTERNAL_USER,
        List.of(),
        List.of(),
        RateLimits.NONE,
        Map.of());
  }

  public UserSpec withRole(UserRole value) {
    return new UserSpec(userId, email, alias, teamId, value, models, budgets, rateLimits, metadata);
  }

  public UserSpec withBudgets(List<BudgetLimit> value) {
    return new UserSpec(userId, email, alias, teamId, role, models, value, rateLimits, metadata);
  }

  public UserSpec withEmail(String value) {
    return new UserSpec(
        userId, Optional.of(value), alias, teamId, role, models, budgets, rateLimits, metadata);
  }
}

package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.UserRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command to change a user: present fields replace, empty fields stay. {@code teamId} may name
 * the new team by id or alias. Validates itself; immutable and thread-safe.
 */
public record UserPatch(
    Optional<String> email,
    Optional<String> alias,
    Optional<String> teamId,
    Optional<UserRole> role,
    Optional<List<String>> models,
    Optional<List<BudgetLimit>> budgets,
    Optional<RateLimits> rateLimits,
    Optional<Map<String, Object>> metadata) {

  public static final UserPatch NONE =
      new UserPatch(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public UserPatch {
    Validation.optionalText("user_email", email);
    Validation.optionalAlias("user_alias", alias);
    Validation.optionalText("team_id", teamId);
    Validation.required("user_role", role);
    models = Validation.required("models", models).map(m -> Validation.models("models", m));
    budgets = Validation.required("budgets", budgets).map(b -> Validation.budgets("budgets", b));
    Validation.required("rate_limits", rateLimits);
    metadata =
        Validation.required("metadata", metadata).map(m -> Validation.metadata("metadata", m));
  }

  public UserPatch withTeam(String value) {
    return new UserPatch(
        email, alias, Optional.of(value), role, models, budgets, rateLimits, metadata);
  }

  public UserPatch withRole(UserRole value) {
    return new UserPatch(
        email, alias, teamId, Optional.of(value), models, budgets, rateLimits, metadata);
  }

  public UserPatch withBudgets(List<BudgetLimit> value) {
    return new UserPatch(
        email, alias, teamId, role, models, Optional.of(value), rateLimits, metadata);
  }
}

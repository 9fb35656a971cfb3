package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command to change a team: every present field replaces the stored one, every empty field is
 * left unchanged. Validates itself; immutable and thread-safe.
 */
public record TeamPatch(
    Optional<String> alias,
    Optional<String> tier,
    Optional<List<String>> models,
    Optional<List<BudgetLimit>> teamBudgets,
    Optional<List<BudgetLimit>> memberBudgets,
    Optional<RateLimits> rateLimits,
    Optional<Boolean> blocked,
    Optional<Map<String, Object>> metadata) {

  public static final TeamPatch NONE =
      new TeamPatch(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public TeamPatch {
    Validation.optionalAlias("team_alias", alias);
    Validation.optionalText("tier", tier);
    models = Validation.required("models", models).map(m -> Validation.models("models", m));
    teamBudgets =
        Validation.required("team_budgets", teamBudgets)
            .map(b -> Validation.budgets("team_budgets", b));
    memberBudgets =
        Validation.required("member_budgets", memberBudgets)
            .map(b -> Validation.budgets("member_budgets", b));
    Validation.required("rate_limits", rateLimits);
    Validation.required("blocked", blocked);
    metadata =
        Validation.required("metadata", metadata).map(m -> Validation.metadata("metadata", m));
  }

  public TeamPatch withAlias(String value) {
    return new TeamPatch(
        Optional.of(value),
        tier,
        models,
        teamBudgets,
        memberBudgets,
        rateLimits,
        blocked,
        metadata);
  }

  public TeamPatch withModels(List<String> value) {
    return new TeamPatch(
        alias, tier, Optional.of(value), teamBudgets, memberBudgets, rateLimits, blocked, metadata);
  }

  public TeamPatch withMemberBudgets(List<BudgetLimit> value) {
    return new TeamPatch(
        alias, tier, models, teamBudgets, Optional.of(value), rateLimits, blocked, metadata);
  }

  public TeamPatch withBlocked(boolean value) {
    return new TeamPatch(
        alias, tier, models, teamBudgets, memberBudgets, rateLimits, Optional.of(value), metadata);
  }
}

package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command to create a team. Without a {@code teamId} the alias becomes the id when it is a valid,
 * free id (so the seed's {@code "team_alias": "drafting"} can be referenced as {@code team_id
 * drafting}); otherwise an id is generated. Validates itself; immutable and thread-safe.
 */
public record TeamSpec(
    Optional<String> teamId,
    String alias,
    Optional<String> tier,
    List<String> models,
    List<BudgetLimit> teamBudgets,
    List<BudgetLimit> memberBudgets,
    RateLimits rateLimits,
    Map<String, Object> metadata) {

  public TeamSpec {
    Validation.optionalId("team_id", teamId);
    Validation.alias("team_alias", alias);
    Validation.optionalText("tier", tier);
    models = Validation.models("models", models);
    teamBudgets = Validation.budgets("team_budgets", teamBudgets);
    memberBudgets = Validation.budgets("member_budgets", memberBudgets);
    Validation.required("rate_limits", rateLimits);
    metadata = Validation.metadata("metadata", metadata);
  }

  /** A team with only an alias: every model, no budgets, no rate limits. */
  public static TeamSpec named(String alias) {
    return new TeamSpec(
        Optional.empty(),
        alias,
        Optional.empty(),
        List.of(),
        List.of(),
        List.of(),
        RateLimits.NONE,
        Map.of());
  }

  public TeamSpec withModels(List<String> value) {
    return new TeamSpec(
        teamId, alias, tier, value, teamBudgets, memberBudgets, rateLimits, metadata);
  }

  public TeamSpec withMemberBudgets(List<BudgetLimit> value) {
    return new TeamSpec(teamId, alias, tier, models, teamBudgets, value, rateLimits, metadata);
  }

  public TeamSpec withTeamBudgets(List<BudgetLimit> value) {
    return new TeamSpec(teamId, alias, tier, models, value, memberBudgets, rateLimits, metadata);
  }
}

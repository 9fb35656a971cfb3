package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command to create a team. Without a {@code teamId} the alias becomes the id when it is a valid,
 * free id (so the seed's {@code "team_alias": "drafting"} can be referenced as {@code team_id
 * drafting}); otherwise an id is generated. Validates itself, refusing every wrong field at once;
 * immutable and thread-safe.
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
    Problems p = new Problems();
    teamId = Validation.optionalId(p, "team_id", teamId);
    Validation.alias(p, "team_alias", alias);
    tier = Validation.optionalText(p, "tier", tier);
    models = Validation.models(p, "models", models);
    teamBudgets = Validation.budgets(p, "team_budgets", teamBudgets);
    memberBudgets = Validation.budgets(p, "member_budgets", memberBudgets);
    Validation.required(p, "rate_limits", rateLimits);
    metadata = Validation.metadata(p, "metadata", metadata);
    p.throwIfAny();
  }

  /** A team with only an alias: every model, no budgets, no rate limits. */
  public static TeamSpec named(String alias) {
    return builder().alias(alias).build();
  }

  /** A builder with no problems recorded yet. */
  public static Builder builder() {
    return new Builder(new Problems());
  }

  /**
   * A builder that records into {@code problems}: what a form or request body could not even parse
   * is refused together with what {@link Builder#build} finds.
   */
  public static Builder draft(Problems problems) {
    return new Builder(problems);
  }

  /** A builder holding this TeamSpec's values. */
  public Builder toBuilder() {
    Builder b = builder();
    b.teamId = teamId;
    b.alias = alias;
    b.tier = tier;
    b.models = models;
    b.teamBudgets = teamBudgets;
    b.memberBudgets = memberBudgets;
    b.rateLimits = rateLimits;
    b.metadata = metadata;
    return b;
  }

  /** Collects a team to create, field by field. Not thread-safe. */
  public static final class Builder {
    private final Problems problems;
    private Optional<String> teamId = Optional.empty();
    private String alias = null;
    private Optional<String> tier = Optional.empty();
    private List<String> models = List.of();
    private List<BudgetLimit> teamBudgets = List.of();
    private List<BudgetLimit> memberBudgets = List.of();
    private RateLimits rateLimits = RateLimits.NONE;
    private Map<String, Object> metadata = Map.of();

    private Builder(Problems problems) {
      this.problems = problems;
    }

    public Builder teamId(String value) {
      this.teamId = Optional.ofNullable(value);
      return this;
    }

    public Builder teamId(Optional<String> value) {
      this.teamId = value;
      return this;
    }

    public Builder alias(String value) {
      this.alias = value;
      return this;
    }

    public Builder tier(String value) {
      this.tier = Optional.ofNullable(value);
      return this;
    }

    public Builder tier(Optional<String> value) {
      this.tier = value;
      return this;
    }

    public Builder models(List<String> value) {
      this.models = value;
      return this;
    }

    public Builder teamBudgets(List<BudgetLimit> value) {
      this.teamBudgets = value;
      return this;
    }

    public Builder memberBudgets(List<BudgetLimit> value) {
      this.memberBudgets = value;
      return this;
    }

    public Builder rateLimits(RateLimits value) {
      this.rateLimits = value;
      return this;
    }

    public Builder metadata(Map<String, Object> value) {
      this.metadata = value;
      return this;
    }

    /** Records a problem found before building (a value that could not be parsed). */
    public Builder problem(String param, String message) {
      problems.add(param, message);
      return this;
    }

    public Problems problems() {
      return problems;
    }

    /** The models named so far, for the model checks of a draft that is refused anyway. */
    List<String> modelsRef() {
      return models;
    }

    /** The TeamSpec, or one {@code InvalidRequestException} listing every problem. */
    public TeamSpec build() {
      return problems.build(
          () ->
              new TeamSpec(
                  teamId, alias, tier, models, teamBudgets, memberBudgets, rateLimits, metadata));
    }
  }
}

package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command to change a team: every present field replaces the stored one, every empty field is
 * left unchanged. Validates itself, refusing every wrong field at once; immutable and thread-safe.
 */
public record TeamPatch(
    Optional<String> alias,
    Optional<String> tier,
    Optional<List<String>> models,
    Optional<List<BudgetLimit>> teamBudgets,
    Optional<List<BudgetLimit>> memberBudgets,
    Optional<RateLimits> rateLimits,
    Optional<Boolean> blocked,
    Optional<Map<String, Object>> metadata,
    Optional<BudgetIncrease> budgetIncrease) {

  public static final TeamPatch NONE = builder().build();

  public TeamPatch {
    Problems p = new Problems();
    alias = Validation.optionalAlias(p, "team_alias", alias);
    tier = Validation.optionalText(p, "tier", tier);
    models = Validation.optionalModels(p, "models", models);
    teamBudgets = Validation.optionalBudgets(p, "team_budgets", teamBudgets);
    memberBudgets = Validation.optionalBudgets(p, "member_budgets", memberBudgets);
    rateLimits = Validation.optional(p, "rate_limits", rateLimits);
    blocked = Validation.optional(p, "blocked", blocked);
    metadata = Validation.optionalMetadata(p, "metadata", metadata);
    budgetIncrease = Validation.budgetIncrease(p, budgetIncrease);
    p.throwIfAny();
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

  /** A builder holding this TeamPatch's values. */
  public Builder toBuilder() {
    Builder b = builder();
    b.alias = alias;
    b.tier = tier;
    b.models = models;
    b.teamBudgets = teamBudgets;
    b.memberBudgets = memberBudgets;
    b.rateLimits = rateLimits;
    b.blocked = blocked;
    b.metadata = metadata;
    b.budgetIncrease = budgetIncrease;
    return b;
  }

  /** Collects the changes to a team; fields not set stay as they are. Not thread-safe. */
  public static final class Builder {
    private final Problems problems;
    private Optional<String> alias = Optional.empty();
    private Optional<String> tier = Optional.empty();
    private Optional<List<String>> models = Optional.empty();
    private Optional<List<BudgetLimit>> teamBudgets = Optional.empty();
    private Optional<List<BudgetLimit>> memberBudgets = Optional.empty();
    private Optional<RateLimits> rateLimits = Optional.empty();
    private Optional<Boolean> blocked = Optional.empty();
    private Optional<Map<String, Object>> metadata = Optional.empty();
    private Optional<BudgetIncrease> budgetIncrease = Optional.empty();

    private Builder(Problems problems) {
      this.problems = problems;
    }

    public Builder alias(String value) {
      this.alias = Optional.ofNullable(value);
      return this;
    }

    public Builder alias(Optional<String> value) {
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
      this.models = Optional.ofNullable(value);
      return this;
    }

    public Builder models(Optional<List<String>> value) {
      this.models = value;
      return this;
    }

    public Builder teamBudgets(List<BudgetLimit> value) {
      this.teamBudgets = Optional.ofNullable(value);
      return this;
    }

    public Builder teamBudgets(Optional<List<BudgetLimit>> value) {
      this.teamBudgets = value;
      return this;
    }

    public Builder memberBudgets(List<BudgetLimit> value) {
      this.memberBudgets = Optional.ofNullable(value);
      return this;
    }

    public Builder memberBudgets(Optional<List<BudgetLimit>> value) {
      this.memberBudgets = value;
      return this;
    }

    public Builder rateLimits(RateLimits value) {
      this.rateLimits = Optional.ofNullable(value);
      return this;
    }

    public Builder rateLimits(Optional<RateLimits> value) {
      this.rateLimits = value;
      return this;
    }

    public Builder blocked(Boolean value) {
      this.blocked = Optional.ofNullable(value);
      return this;
    }

    public Builder blocked(Optional<Boolean> value) {
      this.blocked = value;
      return this;
    }

    public Builder metadata(Map<String, Object> value) {
      this.metadata = Optional.ofNullable(value);
      return this;
    }

    public Builder metadata(Optional<Map<String, Object>> value) {
      this.metadata = value;
      return this;
    }

    /** A temporary increase of the budgets (LiteLLM's temp_budget_increase + expiry). */
    public Builder budgetIncrease(Optional<BudgetIncrease> value) {
      this.budgetIncrease = value;
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
    Optional<List<String>> modelsRef() {
      return models;
    }

    /** The TeamPatch, or one {@code InvalidRequestException} listing every problem. */
    public TeamPatch build() {
      return problems.build(
          () ->
              new TeamPatch(
                  alias,
                  tier,
                  models,
                  teamBudgets,
                  memberBudgets,
                  rateLimits,
                  blocked,
                  metadata,
                  budgetIncrease));
    }
  }
}

package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.UserRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command to change a user: present fields replace, empty fields stay. {@code teamId} may name
 * the new team by id or alias. Validates itself, refusing every wrong field at once; immutable and
 * thread-safe.
 */
public record UserPatch(
    Optional<String> email,
    Optional<String> alias,
    Optional<String> teamId,
    Optional<UserRole> role,
    Optional<List<String>> models,
    Optional<List<BudgetLimit>> budgets,
    Optional<RateLimits> rateLimits,
    Optional<Map<String, Object>> metadata,
    Optional<BudgetIncrease> budgetIncrease) {

  public static final UserPatch NONE = builder().build();

  public UserPatch {
    Problems p = new Problems();
    email = Validation.optionalText(p, "user_email", email);
    alias = Validation.optionalAlias(p, "user_alias", alias);
    teamId = Validation.optionalText(p, "team_id", teamId);
    role = Validation.optional(p, "user_role", role);
    models = Validation.optionalModels(p, "models", models);
    budgets = Validation.optionalBudgets(p, "budgets", budgets);
    rateLimits = Validation.optional(p, "rate_limits", rateLimits);
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

  /** A builder holding this UserPatch's values. */
  public Builder toBuilder() {
    Builder b = builder();
    b.email = email;
    b.alias = alias;
    b.teamId = teamId;
    b.role = role;
    b.models = models;
    b.budgets = budgets;
    b.rateLimits = rateLimits;
    b.metadata = metadata;
    b.budgetIncrease = budgetIncrease;
    return b;
  }

  /** Collects the changes to a user; fields not set stay as they are. Not thread-safe. */
  public static final class Builder {
    private final Problems problems;
    private Optional<String> email = Optional.empty();
    private Optional<String> alias = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private Optional<UserRole> role = Optional.empty();
    private Optional<List<String>> models = Optional.empty();
    private Optional<List<BudgetLimit>> budgets = Optional.empty();
    private Optional<RateLimits> rateLimits = Optional.empty();
    private Optional<Map<String, Object>> metadata = Optional.empty();
    private Optional<BudgetIncrease> budgetIncrease = Optional.empty();

    private Builder(Problems problems) {
      this.problems = problems;
    }

    public Builder email(String value) {
      this.email = Optional.ofNullable(value);
      return this;
    }

    public Builder email(Optional<String> value) {
      this.email = value;
      return this;
    }

    public Builder alias(String value) {
      this.alias = Optional.ofNullable(value);
      return this;
    }

    public Builder alias(Optional<String> value) {
      this.alias = value;
      return this;
    }

    public Builder teamId(String value) {
      this.teamId = Optional.ofNullable(value);
      return this;
    }

    public Builder teamId(Optional<String> value) {
      this.teamId = value;
      return this;
    }

    public Builder role(UserRole value) {
      this.role = Optional.ofNullable(value);
      return this;
    }

    public Builder role(Optional<UserRole> value) {
      this.role = value;
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

    public Builder budgets(List<BudgetLimit> value) {
      this.budgets = Optional.ofNullable(value);
      return this;
    }

    public Builder budgets(Optional<List<BudgetLimit>> value) {
      this.budgets = value;
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

    /** The team named so far, for the reference checks of a draft that is refused anyway. */
    Optional<String> teamRef() {
      return teamId;
    }

    /** The models named so far, for the model checks of a draft that is refused anyway. */
    Optional<List<String>> modelsRef() {
      return models;
    }

    /** The UserPatch, or one {@code InvalidRequestException} listing every problem. */
    public UserPatch build() {
      return problems.build(
          () ->
              new UserPatch(
                  email,
                  alias,
                  teamId,
                  role,
                  models,
                  budgets,
                  rateLimits,
                  metadata,
                  budgetIncrease));
    }
  }
}

package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command to change a key's settings (never its value: see {@code regenerateKey}). Present fields
 * replace, empty fields stay; {@code duration} sets a new expiry counted from now. Validates
 * itself, refusing every wrong field at once; immutable and thread-safe.
 */
public record KeyPatch(
    Optional<String> alias,
    Optional<String> userId,
    Optional<String> teamId,
    Optional<KeyRole> role,
    Optional<List<String>> models,
    Optional<List<BudgetLimit>> budgets,
    Optional<RateLimits> rateLimits,
    Optional<Instant> expiresAt,
    Optional<Duration> duration,
    Optional<Boolean> blocked,
    Optional<Map<String, Object>> metadata,
    Optional<BudgetIncrease> budgetIncrease) {

  public static final KeyPatch NONE = builder().build();

  public KeyPatch {
    Problems p = new Problems();
    alias = Validation.optionalAlias(p, "key_alias", alias);
    userId = Validation.optionalId(p, "user_id", userId);
    teamId = Validation.optionalText(p, "team_id", teamId);
    role = Validation.optional(p, "role", role);
    models = Validation.optionalModels(p, "models", models);
    budgets = Validation.optionalBudgets(p, "budgets", budgets);
    rateLimits = Validation.optional(p, "rate_limits", rateLimits);
    expiresAt = Validation.instant(p, "expires", expiresAt);
    duration = Validation.optional(p, "duration", duration);
    KeySpec.checkExpiry(p, expiresAt, duration);
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

  /** A builder holding this KeyPatch's values. */
  public Builder toBuilder() {
    Builder b = builder();
    b.alias = alias;
    b.userId = userId;
    b.teamId = teamId;
    b.role = role;
    b.models = models;
    b.budgets = budgets;
    b.rateLimits = rateLimits;
    b.expiresAt = expiresAt;
    b.duration = duration;
    b.blocked = blocked;
    b.metadata = metadata;
    b.budgetIncrease = budgetIncrease;
    return b;
  }

  /** Collects the changes to a key; fields not set stay as they are. Not thread-safe. */
  public static final class Builder {
    private final Problems problems;
    private Optional<String> alias = Optional.empty();
    private Optional<String> userId = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private Optional<KeyRole> role = Optional.empty();
    private Optional<List<String>> models = Optional.empty();
    private Optional<List<BudgetLimit>> budgets = Optional.empty();
    private Optional<RateLimits> rateLimits = Optional.empty();
    private Optional<Instant> expiresAt = Optional.empty();
    private Optional<Duration> duration = Optional.empty();
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

    public Builder userId(String value) {
      this.userId = Optional.ofNullable(value);
      return this;
    }

    public Builder userId(Optional<String> value) {
      this.userId = value;
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

    public Builder role(KeyRole value) {
      this.role = Optional.ofNullable(value);
      return this;
    }

    public Builder role(Optional<KeyRole> value) {
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

    public Builder expiresAt(Instant value) {
      this.expiresAt = Optional.ofNullable(value);
      return this;
    }

    public Builder expiresAt(Optional<Instant> value) {
      this.expiresAt = value;
      return this;
    }

    public Builder duration(Duration value) {
      this.duration = Optional.ofNullable(value);
      return this;
    }

    public Builder duration(Optional<Duration> value) {
      this.duration = value;
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

    /** The team named so far, for the reference checks of a draft that is refused anyway. */
    Optional<String> teamRef() {
      return teamId;
    }

    /** The models named so far, for the model checks of a draft that is refused anyway. */
    Optional<List<String>> modelsRef() {
      return models;
    }

    /** The user named so far, for the model checks of a draft that is refused anyway. */
    Optional<String> userRef() {
      return userId;
    }

    /** The KeyPatch, or one {@code InvalidRequestException} listing every problem. */
    public KeyPatch build() {
      return problems.build(
          () ->
              new KeyPatch(
                  alias,
                  userId,
                  teamId,
                  role,
                  models,
                  budgets,
                  rateLimits,
                  expiresAt,
                  duration,
                  blocked,
                  metadata,
                  budgetIncrease));
    }
  }
}

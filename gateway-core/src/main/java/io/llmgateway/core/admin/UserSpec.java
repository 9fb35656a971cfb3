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
 * window. Validates itself, refusing every wrong field at once; immutable and thread-safe.
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
    Problems p = new Problems();
    userId = Validation.optionalId(p, "user_id", userId);
    email = Validation.optionalText(p, "user_email", email);
    alias = Validation.optionalAlias(p, "user_alias", alias);
    teamId = Validation.optionalText(p, "team_id", teamId);
    Validation.required(p, "user_role", role);
    models = Validation.models(p, "models", models);
    budgets = Validation.budgets(p, "budgets", budgets);
    Validation.required(p, "rate_limits", rateLimits);
    metadata = Validation.metadata(p, "metadata", metadata);
    p.throwIfAny();
  }

  /** An internal user with this id in this team (id or alias), with the team's defaults. */
  public static UserSpec member(String userId, String team) {
    return builder().userId(userId).teamId(team).build();
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

  /** A builder holding this UserSpec's values. */
  public Builder toBuilder() {
    Builder b = builder();
    b.userId = userId;
    b.email = email;
    b.alias = alias;
    b.teamId = teamId;
    b.role = role;
    b.models = models;
    b.budgets = budgets;
    b.rateLimits = rateLimits;
    b.metadata = metadata;
    return b;
  }

  /** Collects a user to create, field by field. Not thread-safe. */
  public static final class Builder {
    private final Problems problems;
    private Optional<String> userId = Optional.empty();
    private Optional<String> email = Optional.empty();
    private Optional<String> alias = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private UserRole role = UserRole.INTERNAL_USER;
    private List<String> models = List.of();
    private List<BudgetLimit> budgets = List.of();
    private RateLimits rateLimits = RateLimits.NONE;
    private Map<String, Object> metadata = Map.of();

    private Builder(Problems problems) {
      this.problems = problems;
    }

    public Builder userId(String value) {
      this.userId = Optional.ofNullable(value);
      return this;
    }

    public Builder userId(Optional<String> value) {
      this.userId = value;
      return this;
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
      this.role = value;
      return this;
    }

    public Builder models(List<String> value) {
      this.models = value;
      return this;
    }

    public Builder budgets(List<BudgetLimit> value) {
      this.budgets = value;
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

    /** The team named so far, for the reference checks of a draft that is refused anyway. */
    Optional<String> teamRef() {
      return teamId;
    }

    /** The models named so far, for the model checks of a draft that is refused anyway. */
    List<String> modelsRef() {
      return models;
    }

    /** The UserSpec, or one {@code InvalidRequestException} listing every problem. */
    public UserSpec build() {
      return problems.build(
          () ->
              new UserSpec(
                  userId, email, alias, teamId, role, models, budgets, rateLimits, metadata));
    }
  }
}

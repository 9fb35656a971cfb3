package io.llmgateway.core.admin;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.RateLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A command to generate a key. {@code teamId} may name the team by id or alias. A {@code userId}
 * that does not exist yet is created in the key's team (LiteLLM's behaviour). Give at most one of
 * {@code expiresAt} and {@code duration}; neither means the key never expires. {@code key} is an
 * optional custom plaintext: {@code sk-} and at least {@value #MIN_CUSTOM_KEY_CHARS} more
 * characters. Validates itself, refusing every wrong field at once; immutable and thread-safe.
 * {@link #toString()} never shows a custom key.
 */
public record KeySpec(
    Optional<String> userId,
    Optional<String> teamId,
    Optional<String> alias,
    KeyRole role,
    List<String> models,
    List<BudgetLimit> budgets,
    RateLimits rateLimits,
    Optional<Instant> expiresAt,
    Optional<Duration> duration,
    boolean blocked,
    Map<String, Object> metadata,
    Optional<String> key) {

  public KeySpec {
    Problems p = new Problems();
    userId = Validation.optionalId(p, "user_id", userId);
    teamId = Validation.optionalText(p, "team_id", teamId);
    alias = Validation.optionalAlias(p, "key_alias", alias);
    Validation.required(p, "role", role);
    models = Validation.models(p, "models", models);
    budgets = Validation.budgets(p, "budgets", budgets);
    Validation.required(p, "rate_limits", rateLimits);
    expiresAt = Validation.instant(p, "expires", expiresAt);
    duration = Validation.optional(p, "duration", duration);
    checkExpiry(p, expiresAt, duration);
    metadata = Validation.metadata(p, "metadata", metadata);
    key = Validation.optional(p, "key", key);
    key.ifPresent(k -> checkCustomKey(p, k));
    p.throwIfAny();
  }

  /** At most one of the two, and a duration that ends after now. */
  static void checkExpiry(Problems p, Optional<Instant> expiresAt, Optional<Duration> duration) {
    if (expiresAt.isPresent() && duration.isPresent()) {
      p.add("duration", "give either duration or expires, not both");
    }
    duration
        .filter(d -> d.isNegative() || d.isZero())
        .ifPresent(d -> p.add("duration", "duration must be positive"));
  }

  /** Shortest custom key after {@code sk-}: 32 characters, so a custom key is not guessable. */
  public static final int MIN_CUSTOM_KEY_CHARS = 32;

  private static final int MAX_CUSTOM_KEY_LENGTH = 256;

  static void checkCustomKey(Problems p, String k) {
    int length = k.length() - ApiKeys.PREFIX.length();
    if (!k.startsWith(ApiKeys.PREFIX)
        || length < MIN_CUSTOM_KEY_CHARS
        || k.length() > MAX_CUSTOM_KEY_LENGTH
        || k.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      p.addAll(badCustomKey());
    }
  }

  /**
   * The one answer for every refused custom key, including a value that is already some key's: a
   * caller cannot tell "taken" from "malformed", so generate is no oracle for existing keys.
   */
  static InvalidRequestException badCustomKey() {
    return Validation.invalid(
        "key",
        "a custom key must be 'sk-' followed by "
            + MIN_CUSTOM_KEY_CHARS
            + " to "
            + (MAX_CUSTOM_KEY_LENGTH - ApiKeys.PREFIX.length())
            + " visible characters, and not a value in use; leave it out to get a generated key");
  }

  /** An LLM key for this user, in the user's team, with no limits of its own. */
  public static KeySpec forUser(String userId) {
    return builder().userId(userId).build();
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

  /** A builder holding this KeySpec's values. */
  public Builder toBuilder() {
    Builder b = builder();
    b.userId = userId;
    b.teamId = teamId;
    b.alias = alias;
    b.role = role;
    b.models = models;
    b.budgets = budgets;
    b.rateLimits = rateLimits;
    b.expiresAt = expiresAt;
    b.duration = duration;
    b.blocked = blocked;
    b.metadata = metadata;
    b.key = key;
    return b;
  }

  /**
   * Collects a key to generate, field by field. {@link #toString()} never shows a custom key. Not
   * thread-safe.
   */
  public static final class Builder {
    @Override
    public String toString() {
      return "KeySpec.Builder[key=" + (key.isPresent() ? "(custom)" : "(generated)") + "]";
    }

    private final Problems problems;
    private Optional<String> userId = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private Optional<String> alias = Optional.empty();
    private KeyRole role = KeyRole.LLM_API;
    private List<String> models = List.of();
    private List<BudgetLimit> budgets = List.of();
    private RateLimits rateLimits = RateLimits.NONE;
    private Optional<Instant> expiresAt = Optional.empty();
    private Optional<Duration> duration = Optional.empty();
    private boolean blocked = false;
    private Map<String, Object> metadata = Map.of();
    private Optional<String> key = Optional.empty();

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

    public Builder teamId(String value) {
      this.teamId = Optional.ofNullable(value);
      return this;
    }

    public Builder teamId(Optional<String> value) {
      this.teamId = value;
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

    public Builder role(KeyRole value) {
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

    public Builder blocked(boolean value) {
      this.blocked = value;
      return this;
    }

    public Builder metadata(Map<String, Object> value) {
      this.metadata = value;
      return this;
    }

    public Builder key(String value) {
      this.key = Optional.ofNullable(value);
      return this;
    }

    public Builder key(Optional<String> value) {
      this.key = value;
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

    /** The user named so far, for the model checks of a draft that is refused anyway. */
    Optional<String> userRef() {
      return userId;
    }

    /** The KeySpec, or one {@code InvalidRequestException} listing every problem. */
    public KeySpec build() {
      return problems.build(
          () ->
              new KeySpec(
                  userId,
                  teamId,
                  alias,
                  role,
                  models,
                  budgets,
                  rateLimits,
                  expiresAt,
                  duration,
                  blocked,
                  metadata,
                  key));
    }
  }

  @Override
  public String toString() {
    return "KeySpec[userId="
        + userId
        + ", teamId="
        + teamId
        + ", alias="
        + alias
        + ", role="
        + role
        + ", models="
        + models
        + ", budgets="
        + budgets
        + ", key="
        + (key.isPresent() ? "(custom)" : "(generated)")
        + "]";
  }
}

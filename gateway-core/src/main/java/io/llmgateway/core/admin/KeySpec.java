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
 * characters. Validates itself; immutable and thread-safe. {@link #toString()} never shows a custom
 * key.
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
    Validation.optionalId("user_id", userId);
    Validation.optionalText("team_id", teamId);
    Validation.optionalAlias("key_alias", alias);
    Validation.required("role", role);
    models = Validation.models("models", models);
    budgets = Validation.budgets("budgets", budgets);
    Validation.required("rate_limits", rateLimits);
    Validation.instant("expires", expiresAt);
    Validation.required("duration", duration);
    if (expiresAt.isPresent() && duration.isPresent()) {
      throw Validation.invalid("duration", "give either duration or expires, not both");
    }
    duration.ifPresent(KeySpec::checkDuration);
    metadata = Validation.metadata("metadata", metadata);
    Validation.required("key", key).ifPresent(KeySpec::checkCustomKey);
  }

  static void checkDuration(Duration d) {
    if (d.isNegative() || d.isZero()) {
      throw Validation.invalid("duration", "duration must be positive");
    }
  }

  /** Shortest custom key after {@code sk-}: 32 characters, so a custom key is not guessable. */
  public static final int MIN_CUSTOM_KEY_CHARS = 32;

  private static final int MAX_CUSTOM_KEY_LENGTH = 256;

  static void checkCustomKey(String k) {
    int length = k.length() - ApiKeys.PREFIX.length();
    if (!k.startsWith(ApiKeys.PREFIX)
        || length < MIN_CUSTOM_KEY_CHARS
        || k.length() > MAX_CUSTOM_KEY_LENGTH
        || k.chars().anyMatch(c -> c <= ' ' || c == 127)) {
      throw badCustomKey();
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
    return new KeySpec(
        Optional.of(userId),
        Optional.empty(),
        Optional.empty(),
        KeyRole.LLM_API,
        List.of(),
        List.of(),
        RateLimits.NONE,
        Optional.empty(),
        Optional.empty(),
        false,
        Map.of(),
        Optional.empty());
  }

  public KeySpec withTeam(String value) {
    return new KeySpec(
        userId,
        Optional.of(value),
        alias,
        role,
        models,
        budgets,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata,
        key);
  }

  public KeySpec withAlias(String value) {
    return new KeySpec(
        userId,
        teamId,
        Optional.of(value),
        role,
        models,
        budgets,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata,
        key);
  }

  public KeySpec withRole(KeyRole value) {
    return new KeySpec(
        userId,
        teamId,
        alias,
        value,
        models,
        budgets,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata,
        key);
  }

  public KeySpec withModels(List<String> value) {
    return new KeySpec(
        userId,
        teamId,
        alias,
        role,
        value,
        budgets,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata,
        key);
  }

  public KeySpec withBudgets(List<BudgetLimit> value) {
    return new KeySpec(
        userId,
        teamId,
        alias,
        role,
        models,
        value,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata,
        key);
  }

  public KeySpec withDuration(Duration value) {
    return new KeySpec(
        userId,
        teamId,
        alias,
        role,
        models,
        budgets,
        rateLimits,
        Optional.empty(),
        Optional.of(value),
        blocked,
        metadata,
        key);
  }

  public KeySpec withKey(String plaintext) {
    return new KeySpec(
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
        Optional.of(plaintext));
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

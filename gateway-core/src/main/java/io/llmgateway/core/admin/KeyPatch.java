package io.llmgateway.core.admin;

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
 * itself; immutable and thread-safe.
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
    Optional<Map<String, Object>> metadata) {

  public static final KeyPatch NONE =
      new KeyPatch(
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty());

  public KeyPatch {
    Validation.optionalAlias("key_alias", alias);
    Validation.optionalId("user_id", userId);
    Validation.optionalText("team_id", teamId);
    Validation.required("role", role);
    models = Validation.required("models", models).map(m -> Validation.models("models", m));
    budgets = Validation.required("budgets", budgets).map(b -> Validation.budgets("budgets", b));
    Validation.required("rate_limits", rateLimits);
    Validation.instant("expires", expiresAt);
    Validation.required("duration", duration).ifPresent(KeySpec::checkDuration);
    if (expiresAt.isPresent() && duration.isPresent()) {
      throw Validation.invalid("duration", "give either duration or expires, not both");
    }
    Validation.required("blocked", blocked);
    metadata =
        Validation.required("metadata", metadata).map(m -> Validation.metadata("metadata", m));
  }

  public KeyPatch withModels(List<String> value) {
    return new KeyPatch(
        alias,
        userId,
        teamId,
        role,
        Optional.of(value),
        budgets,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata);
  }

  public KeyPatch withBudgets(List<BudgetLimit> value) {
    return new KeyPatch(
        alias,
        userId,
        teamId,
        role,
        models,
        Optional.of(value),
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata);
  }

  public KeyPatch withRole(KeyRole value) {
    return new KeyPatch(
        alias,
        userId,
        teamId,
        Optional.of(value),
        models,
        budgets,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata);
  }

  public KeyPatch withAlias(String value) {
    return new KeyPatch(
        Optional.of(value),
        userId,
        teamId,
        role,
        models,
        budgets,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata);
  }

  public KeyPatch withTeam(String value) {
    return new KeyPatch(
        alias,
        userId,
        Optional.of(value),
        role,
        models,
        budgets,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata);
  }

  public KeyPatch withUser(String value) {
    return new KeyPatch(
        alias,
        Optional.of(value),
        teamId,
        role,
        models,
        budgets,
        rateLimits,
        expiresAt,
        duration,
        blocked,
        metadata);
  }
}

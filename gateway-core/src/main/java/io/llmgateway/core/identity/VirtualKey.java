package io.llmgateway.core.identity;

import io.llmgateway.core.budget.BudgetIncrease;
import io.llmgateway.core.budget.BudgetLimit;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A virtual API key as stored: only its hash, never the plaintext. {@code id} is stable across
 * rotation; {@code hash} changes. {@code previousHash} stays valid until {@code graceUntil} after a
 * rotation with a grace period. {@code budgetIncrease} raises its own budgets until it expires.
 * Immutable and thread-safe.
 */
public record VirtualKey(
    String id,
    KeyHash hash,
    String displayPrefix,
    Optional<String> alias,
    Optional<String> userId,
    Optional<String> teamId,
    KeyRole role,
    List<String> models,
    List<BudgetLimit> budgets,
    RateLimits rateLimits,
    boolean blocked,
    Optional<Instant> expiresAt,
    Optional<KeyHash> previousHash,
    Optional<Instant> graceUntil,
    Map<String, Object> metadata,
    Instant createdAt,
    Instant updatedAt,
    Optional<BudgetIncrease> budgetIncrease) {

  public VirtualKey {
    Ids.require("key id", id);
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(displayPrefix, "displayPrefix");
    Objects.requireNonNull(alias, "alias");
    alias.ifPresent(a -> Ids.requireText("key_alias", a));
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(teamId, "teamId");
    Objects.requireNonNull(role, "role");
    models = List.copyOf(models);
    budgets = Budgets.oneLimitPerWindow("key budget", budgets);
    Objects.requireNonNull(rateLimits, "rateLimits");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(previousHash, "previousHash");
    Objects.requireNonNull(graceUntil, "graceUntil");
    metadata = Map.copyOf(metadata);
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(budgetIncrease, "budgetIncrease");
  }

  public KeyStatus statusAt(Instant now) {
    if (blocked) {
      return KeyStatus.BLOCKED;
    }
    if (expiresAt.isPresent() && !now.isBefore(expiresAt.get())) {
      return KeyStatus.EXPIRED;
    }
    return KeyStatus.ACTIVE;
  }
}

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
 * Immutable and thread-safe. A new key starts from {@link #builder}, a changed one from {@link
 * #toBuilder} (builders are not thread-safe).
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

  /**
   * A key with the given identity and no alias, owner or team, role {@code LLM_API}, every model,
   * no budgets or rate limits, active, never expiring, updated when created.
   */
  public static Builder builder(String id, KeyHash hash, String displayPrefix, Instant createdAt) {
    return new Builder(id, hash, displayPrefix, createdAt);
  }

  /** A builder holding this key's values: set what changes, then {@link Builder#build}. */
  public Builder toBuilder() {
    Builder b = new Builder(id, hash, displayPrefix, createdAt);
    b.alias = alias;
    b.userId = userId;
    b.teamId = teamId;
    b.role = role;
    b.models = models;
    b.budgets = budgets;
    b.rateLimits = rateLimits;
    b.blocked = blocked;
    b.expiresAt = expiresAt;
    b.previousHash = previousHash;
    b.graceUntil = graceUntil;
    b.metadata = metadata;
    b.updatedAt = updatedAt;
    b.budgetIncrease = budgetIncrease;
    return b;
  }

  /** Builds a {@link VirtualKey}; {@link #build} validates as the constructor does. */
  public static final class Builder {
    private final String id;
    private final Instant createdAt;
    private KeyHash hash;
    private String displayPrefix;
    private Optional<String> alias = Optional.empty();
    private Optional<String> userId = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private KeyRole role = KeyRole.LLM_API;
    private List<String> models = List.of();
    private List<BudgetLimit> budgets = List.of();
    private RateLimits rateLimits = RateLimits.NONE;
    private boolean blocked;
    private Optional<Instant> expiresAt = Optional.empty();
    private Optional<KeyHash> previousHash = Optional.empty();
    private Optional<Instant> graceUntil = Optional.empty();
    private Map<String, Object> metadata = Map.of();
    private Instant updatedAt;
    private Optional<BudgetIncrease> budgetIncrease = Optional.empty();

    private Builder(String id, KeyHash hash, String displayPrefix, Instant createdAt) {
      this.id = id;
      this.hash = hash;
      this.displayPrefix = displayPrefix;
      this.createdAt = createdAt;
      this.updatedAt = createdAt;
    }

    /** A new secret: its hash and the prefix shown for it. */
    public Builder secret(KeyHash value, String prefix) {
      hash = value;
      displayPrefix = prefix;
      return this;
    }

    public Builder alias(Optional<String> value) {
      alias = value;
      return this;
    }

    public Builder userId(Optional<String> value) {
      userId = value;
      return this;
    }

    public Builder teamId(Optional<String> value) {
      teamId = value;
      return this;
    }

    public Builder role(KeyRole value) {
      role = value;
      return this;
    }

    public Builder models(List<String> value) {
      models = value;
      return this;
    }

    public Builder budgets(List<BudgetLimit> value) {
      budgets = value;
      return this;
    }

    public Builder rateLimits(RateLimits value) {
      rateLimits = value;
      return this;
    }

    public Builder blocked(boolean value) {
      blocked = value;
      return this;
    }

    public Builder expiresAt(Optional<Instant> value) {
      expiresAt = value;
      return this;
    }

    /** The hash still accepted until {@code until} after a rotation (both empty: none). */
    public Builder grace(Optional<KeyHash> previous, Optional<Instant> until) {
      previousHash = previous;
      graceUntil = until;
      return this;
    }

    public Builder metadata(Map<String, Object> value) {
      metadata = value;
      return this;
    }

    public Builder updatedAt(Instant value) {
      updatedAt = value;
      return this;
    }

    public Builder budgetIncrease(Optional<BudgetIncrease> value) {
      budgetIncrease = value;
      return this;
    }

    public VirtualKey build() {
      return new VirtualKey(
          id,
          hash,
          displayPrefix,
          alias,
          userId,
          teamId,
          role,
          models,
          budgets,
          rateLimits,
          blocked,
          expiresAt,
          previousHash,
          graceUntil,
          metadata,
          createdAt,
          updatedAt,
          budgetIncrease);
    }
  }
}

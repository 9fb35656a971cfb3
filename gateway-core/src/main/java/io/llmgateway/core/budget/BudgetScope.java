package io.llmgateway.core.budget;

import java.util.Objects;

/**
 * What a budget counter belongs to. A TEAM scope is the team-wide cap; a USER scope is one user's
 * spend (a tier's per-member budgets apply here, as do per-user overrides); a KEY scope is one
 * virtual key. Immutable and thread-safe.
 */
public record BudgetScope(Kind kind, String id) {

  /** The kind of owner. The enum order is the fixed lock order used by ledgers. */
  public enum Kind {
    TEAM("team"),
    USER("user"),
    KEY("key");

    private final String label;

    Kind(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public BudgetScope {
    Objects.requireNonNull(kind, "kind");
    if (id == null || id.isBlank()) {
      throw new IllegalArgumentException("budget scope needs an id");
    }
  }

  public static BudgetScope team(String teamId) {
    return new BudgetScope(Kind.TEAM, teamId);
  }

  public static BudgetScope user(String userId) {
    return new BudgetScope(Kind.USER, userId);
  }

  public static BudgetScope key(String keyId) {
    return new BudgetScope(Kind.KEY, keyId);
  }
}

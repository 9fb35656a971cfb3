package io.llmgateway.core.testing;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An active LLM_API key whose plaintext is {@code sk-test-<id>} unless set; no owner, every model,
 * no budgets, never expires.
 */
public final class KeyBuilder {
  private final String id;
  private String plaintext;
  private Optional<String> alias = Optional.empty();
  private Optional<String> userId = Optional.empty();
  private Optional<String> teamId = Optional.empty();
  private KeyRole role = KeyRole.LLM_API;
  private List<String> models = List.of();
  private final List<BudgetLimit> budgets = new ArrayList<>();
  private RateLimits rateLimits = RateLimits.NONE;
  private boolean blocked;
  private Optional<Instant> expiresAt = Optional.empty();
  private Optional<KeyHash> previousHash = Optional.empty();
  private Optional<Instant> graceUntil = Optional.empty();
  private Map<String, Object> metadata = new HashMap<>();
  private Instant at = Fixtures.T0;

  KeyBuilder(String id) {
    this.id = id;
    this.plaintext = "sk-test-" + id;
  }

  public KeyBuilder plaintext(String v) {
    plaintext = v;
    return this;
  }

  /** The plaintext the built key's hash is made from. */
  public String plaintext() {
    return plaintext;
  }

  public KeyBuilder alias(String v) {
    alias = Optional.of(v);
    return this;
  }

  public KeyBuilder user(String v) {
    userId = Optional.of(v);
    return this;
  }

  public KeyBuilder team(String v) {
    teamId = Optional.of(v);
    return this;
  }

  public KeyBuilder role(KeyRole v) {
    role = v;
    return this;
  }

  public KeyBuilder models(String... v) {
    models = List.of(v);
    return this;
  }

  public KeyBuilder budget(BudgetLimit v) {
    budgets.add(v);
    return this;
  }

  public KeyBuilder rateLimits(RateLimits v) {
    rateLimits = v;
    return this;
  }

  public KeyBuilder blocked(boolean v) {
    blocked = v;
    return this;
  }

  public KeyBuilder expiresAt(Instant v) {
    expiresAt = Optional.of(v);
    return this;
  }

  /** Marks the key as rotated from {@code previousPlaintext}, still valid until {@code until}. */
  public KeyBuilder previous(String previousPlaintext, Instant until) {
    previousHash = Optional.of(KeyHash.of(previousPlaintext));
    graceUntil = Optional.of(until);
    return this;
  }

  public KeyBuilder metadata(Map<String, Object> v) {
    metadata = new HashMap<>(v);
    return this;
  }

  public KeyBuilder at(Instant v) {
    at = v;
    return this;
  }

  public VirtualKey build() {
    String tail = plaintext.substring(Math.max(0, plaintext.length() - 4));
    return VirtualKey.builder(id, KeyHash.of(plaintext), "sk-..." + tail, at)
        .alias(alias)
        .userId(userId)
        .teamId(teamId)
        .role(role)
        .models(models)
        .budgets(budgets)
        .rateLimits(rateLimits)
        .blocked(blocked)
        .expiresAt(expiresAt)
        .grace(previousHash, graceUntil)
        .metadata(metadata)
        .build();
  }
}

package io.llmgateway.core.testing;

import io.llmgateway.core.Gateway;
import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A small world for gateway tests: in-memory stores, a scripted provider, the seed's three Nova
 * models and tiers, and helpers to add users with keys. Not thread-safe to set up; the gateway it
 * builds is.
 */
public final class TestWorld {
  public final MutableClock clock = new MutableClock(Instant.parse("2026-11-27T10:00:00Z"));
  public final Stores stores = InMemoryAdapters.create();
  public final ScriptedProvider provider = new ScriptedProvider("scripted");

  public TestWorld() {
    deployment("model-cheap", "nova-micro", "0.035", "0.14");
    deployment("model-balanced", "nova-lite", "0.06", "0.24");
    deployment("model-reasoning", "nova-pro", "0.80", "3.20");
    tier("drafting", "model-cheap", "0.017", "0.50");
    tier("coding", "model-balanced", "0.033", "1.00");
    tier("architect", "model-reasoning", "0.067", "2.00");
  }

  /** This world's stores with {@code ledger} in place of its ledger (e.g. one that fails). */
  public Stores storesWith(io.llmgateway.core.budget.BudgetLedger ledger) {
    Stores s = stores;
    return new Stores(
        s.keys(),
        s.teams(),
        s.users(),
        s.catalog(),
        ledger,
        s.rateLimiter(),
        s.spendLog(),
        s.auditLog(),
        s.invalidations(),
        s.operators(),
        s.sessions());
  }

  public Gateway gateway() {
    return gateway(GatewayConfig.defaults());
  }

  public Gateway gateway(GatewayConfig config) {
    return Gateway.builder().stores(stores).provider(provider).config(config).clock(clock).build();
  }

  public Deployment deployment(String model, String id, String in, String out) {
    Deployment d =
        Fixtures.deployment(id, model)
            .provider(provider.name())
            .providerModelId("us.amazon." + id + "-v1:0")
            .region("us-east-1")
            .pricing(Fixtures.pricing(in, out))
            .limits(128_000, 5_000)
            .build();
    stores.catalog().upsert(d);
    return d;
  }

  public Team tier(String name, String model, String daily, String monthly) {
    Team t =
        Fixtures.team(name)
            .tier(name)
            .models(model)
            .memberBudget(BudgetLimit.daily(Money.ofUsd(daily)))
            .memberBudget(BudgetLimit.monthly(Money.ofUsd(monthly)))
            .at(clock.instant())
            .build();
    stores.teams().insert(t);
    return t;
  }

  /** Adds a user to a team and returns the plaintext of a new key for them. */
  public String userWithKey(String email, String team) {
    return userWithKey(email, team, RateLimits.NONE, List.of());
  }

  public String userWithKey(
      String email, String team, RateLimits keyLimits, List<BudgetLimit> userBudgets) {
    UserBuilder user = Fixtures.user(email).email(email).team(team).at(clock.instant());
    userBudgets.forEach(user::budget);
    stores.users().insert(user.build());
    return keyFor(email, team, keyLimits, false, Optional.empty());
  }

  public String keyFor(
      String userId, String team, RateLimits limits, boolean blocked, Optional<Instant> expires) {
    KeyBuilder key =
        Fixtures.key(ApiKeys.newId("key"))
            .plaintext(ApiKeys.generate())
            .user(userId)
            .team(team)
            .rateLimits(limits)
            .blocked(blocked)
            .at(clock.instant());
    expires.ifPresent(key::expiresAt);
    stores.keys().insert(key.build());
    return key.plaintext();
  }
}

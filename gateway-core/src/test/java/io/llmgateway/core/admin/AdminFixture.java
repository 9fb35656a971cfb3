package io.llmgateway.core.admin;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.spend;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.memory.InMemoryAdapters;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.Fixtures;
import io.llmgateway.core.testing.MutableClock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;

/**
 * A real AdminService on in-memory stores, with two tier teams, and principals obtained the way the
 * gateway gets them: by looking up an issued key's hash.
 */
abstract class AdminFixture {
  static final Principal MASTER = Principal.MASTER;

  Stores stores;
  MutableClock clock;
  AdminService admin;
  final List<Invalidation> invalidations = new CopyOnWriteArrayList<>();

  @BeforeEach
  void setUpAdmin() {
    stores = InMemoryAdapters.create();
    clock = new MutableClock(T0);
    admin = new AdminService(stores, clock, ZoneId.of("UTC"));
    stores.invalidations().subscribe(invalidations::add);
    // The catalog the teams, users and keys below refer to: admin refuses unknown model names.
    for (String model : CATALOG) {
      stores.catalog().upsert(Fixtures.deployment("fixture-" + model, model).build());
    }
    admin.createTeam(
        MASTER,
        TeamSpec.builder()
            .alias("drafting")
            .models(List.of("model-cheap"))
            .memberBudgets(
                List.of(BudgetLimit.daily(usd("0.017")), BudgetLimit.monthly(usd("0.50"))))
            .build());
    admin.createTeam(
        MASTER,
        TeamSpec.builder()
            .alias("coding")
            .models(List.of("model-cheap", "model-balanced"))
            .memberBudgets(List.of(BudgetLimit.daily(usd("0.033"))))
            .build());
  }

  static final List<String> CATALOG = List.of("model-cheap", "model-balanced", "model-reasoning");

  static Money usd(String s) {
    return Money.ofUsd(s);
  }

  /** The principal the gateway would build for this plaintext key now. */
  Principal.Keyed principal(IssuedKey issued) {
    return stores
        .keys()
        .findPrincipal(KeyHash.of(issued.plaintext()), clock.instant())
        .orElseThrow();
  }

  Principal.Keyed teamAdmin(String team, List<BudgetLimit> budgets) {
    return principal(
        admin.generateKey(
            MASTER,
            KeySpec.builder()
                .userId(team + "-lead")
                .teamId(team)
                .role(KeyRole.TEAM_ADMIN)
                .budgets(budgets)
                .build()));
  }

  Principal.Keyed llmKey(String user, String team) {
    return principal(
        admin.generateKey(MASTER, KeySpec.builder().userId(user).teamId(team).build()));
  }

  /** A person signed in to the admin UI with {@code grant}, as the UI builds it. */
  static Principal.Person person(String name, Grant grant) {
    return (Principal.Person) Principal.person(name, grant);
  }

  /**
   * A finished request of {@code userId}'s key {@code keyId} in {@code teamId} costing {@code
   * cost}, through the ledger as the gateway charges it (the spend log row comes with it).
   */
  void charge(String requestId, String keyId, String userId, String teamId, Money cost) {
    var line =
        new BudgetLine(
            new CounterKey(BudgetScope.user(userId), BudgetWindow.DAILY, "2026-11-27"),
            Money.MAX,
            Instant.parse("2026-11-28T00:00:00Z"));
    stores
        .ledger()
        .reserve(
            new ReservationRequest(
                requestId,
                List.of(line),
                cost,
                T0,
                T0.plusSeconds(60),
                spend(requestId, keyId).user(userId).team(teamId).pending()));
    stores
        .ledger()
        .settle(requestId, spend(requestId, keyId).user(userId).team(teamId).cost(cost).build());
  }

  List<AuditEvent> audit() {
    return stores.auditLog().list(Optional.empty(), PageRequest.first(1000)).items();
  }

  AuditEvent lastAudit() {
    return audit().getFirst();
  }
}

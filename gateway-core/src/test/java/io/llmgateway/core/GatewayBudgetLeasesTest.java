package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.internal.BudgetLeases;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.core.testing.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The gateway with budget leases ({@link GatewayConfig#withLeaseWindow}): requests admitted in
 * memory against a slice reserved once, with the same decisions and the same money as without. The
 * same equivalence on the seed's small tier budgets: {@link TierBudgetLeasesTest}; what a lease
 * charges when its instance dies or the database is out: {@link BudgetLeaseFailuresTest}.
 */
class GatewayBudgetLeasesTest extends LeasedGatewayTestBase {
  @Test
  void requestsOnAmpleBudgetsShareOneReservationAndEachStillWritesItsSpend() {
    Principal p;
    try (Gateway g = gateway(GatewayConfig.Settlement.DEFERRED, WINDOW)) {
      p = g.authenticate(world.userWithKey("a@example.com", "roomy"));
      world.provider.usage(1000, 200);

      for (int i = 0; i < 20; i++) {
        g.chat(p, ChatRequest.of("model-cheap", "Hello"));
      }

      assertThat(ledger.reserves.get()).isEqualTo(1);
      g.flushSettlements(Duration.ofSeconds(10));
      List<SpendRecord> rows = spend();
      assertThat(rows).hasSize(20).allSatisfy(r -> assertThat(r.cost().nanos()).isEqualTo(63_000));
      // After the flush the lease is released: the counter holds exactly what was spent.
      assertThat(daily("a@example.com"))
          .isEqualTo(new CounterBalance(Money.ofNanos(20 * 63_000), Money.ZERO));
    }
  }

  @Test
  void aRequestIdUsedTwiceIsChargedTwiceWithLeasesAsWithout() {
    // Gateway.chat(.., requestId) is public: an embedder may repeat an id. Each admitted request
    // is its own charge (the ledger keys it by an internal charge id), on either path.
    world.provider.usage(1000, 200);
    for (Duration window : List.of(WINDOW, Duration.ZERO)) {
      String user = window.isZero() ? "direct@example.com" : "leased@example.com";
      try (Gateway g = gateway(GatewayConfig.Settlement.DEFERRED, window)) {
        Principal p = g.authenticate(world.userWithKey(user, "roomy"));
        g.chat(p, ChatRequest.of("model-cheap", "Hello"), "same-id");
        g.chat(p, ChatRequest.of("model-cheap", "Hello"), "same-id");
        g.flushSettlements(Duration.ofSeconds(10));
      }
      assertThat(spend().stream().filter(r -> r.userId().orElse("").equals(user)).toList())
          .as(user)
          .hasSize(2)
          .allSatisfy(r -> assertThat(r.requestId()).isEqualTo("same-id"));
      assertThat(daily(user))
          .as(user)
          .isEqualTo(new CounterBalance(Money.ofNanos(2 * 63_000), Money.ZERO));
    }
  }

  @Test
  void streamsAdmittedAgainstALeaseDrawWhatTheyUsedCompletedOrCutOff() {
    try (Gateway g = gateway(GatewayConfig.Settlement.DEFERRED, WINDOW)) {
      Principal p = g.authenticate(world.userWithKey("a@example.com", "roomy"));
      try (ChatStream s = g.chatStream(p, ChatRequest.of("model-cheap", "hi"), "whole")) {
        while (s.next().isPresent()) {}
      }
      ChatStream cut = g.chatStream(p, ChatRequest.of("model-cheap", "hi"), "cut");
      cut.next(); // the client went away after the first piece
      cut.close();
      assertThat(ledger.reserves.get()).as("both on one lease").isEqualTo(1);

      // A cut stream settles once its cancellation has drained, off this thread: wait for both
      // rows, then flush once more so the retired lease's release (queued after the last draw)
      // is written too. Under load the drain can finish after a first flush.
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (spend().size() < 2 && System.nanoTime() < deadline) {
        g.flushSettlements(Duration.ofSeconds(1));
      }
      g.flushSettlements(Duration.ofSeconds(10));
      List<SpendRecord> rows = spend();
      assertThat(rows)
          .extracting(SpendRecord::requestId, SpendRecord::status)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple("whole", SpendStatus.SUCCESS),
              org.assertj.core.groups.Tuple.tuple("cut", SpendStatus.CANCELLED));
      assertThat(rows).allSatisfy(r -> assertThat(r.cost().nanos()).isPositive());
      assertThat(daily("a@example.com"))
          .isEqualTo(
              new CounterBalance(
                  Money.ofNanos(rows.stream().mapToLong(r -> r.cost().nanos()).sum()), Money.ZERO));
    }
  }

  @Test
  void spendingAnAmpleBudgetToTheEndGivesTheSameAnswersAndChargesAsWithoutLeases() {
    // $0.5 a day: leases while the headroom is ample, per-request reservations near the end,
    // where the last requests get their output cap clamped exactly as without leases.
    world.tier("half", "model-cheap", "0.5", "100");
    world.provider.usage(10, 5_000);

    List<String> with = runUntilRefused(WINDOW, "half", "a@example.com");
    List<String> without = runUntilRefused(Duration.ZERO, "half", "b@example.com");

    assertThat(with).isEqualTo(without);
    assertThat(with.size()).isGreaterThan(100);
    assertThat(daily("a@example.com")).isEqualTo(daily("b@example.com"));
    assertThat(daily("a@example.com").committed()).isLessThanOrEqualTo(Money.ofUsd("0.5"));
    assertThat(daily("a@example.com").reserved()).isEqualTo(Money.ZERO);
  }

  @Test
  void aRefusalNearTheLimitFirstGivesBackThisInstancesIdleLeases() {
    // A team-wide cap of $0.52 a day. Alice's cheap requests take a lease on it; Bob's dear request
    // needs $0.50, which fits the cap but not beside Alice's idle lease.
    world.deployment("model-dear", "dear", "0", "100"); // $100 per million output tokens
    world
        .stores
        .teams()
        .insert(
            Fixtures.team("shared")
                .models("model-cheap", "model-dear")
                .memberBudget(BudgetLimit.daily(Money.ofUsd("10")))
                .teamBudget(BudgetLimit.daily(Money.ofUsd("0.52")))
                .at(world.clock.instant())
                .build());
    try (Gateway g = gateway(GatewayConfig.Settlement.DEFERRED, WINDOW)) {
      Principal alice = g.authenticate(world.userWithKey("alice@example.com", "shared"));
      Principal bob = g.authenticate(world.userWithKey("bob@example.com", "shared"));
      g.chat(alice, ChatRequest.of("model-cheap", "Hello"));
      CounterBalance leased = teamDaily("shared");
      assertThat(leased.reserved().nanos()).isGreaterThan(0);

      AtomicReference<AdmissionGrant> grant = new AtomicReference<>();
      g.chat(bob, ChatRequest.of("model-dear", "Hello"), Gateway.newRequestId(), grant::set);

      // Not clamped to what Alice's lease left: the full 5,000 output tokens.
      assertThat(grant.get().outputCap()).isEqualTo(5_000);
    }
  }

  @Test
  void aBudgetReadGivesBackTheLeasesOnItsScopeOnlyAndSpendReadsNone() {
    try (Gateway g = gateway(GatewayConfig.Settlement.DEFERRED, WINDOW)) {
      Principal a = g.authenticate(world.userWithKey("a@example.com", "roomy"));
      Principal b = g.authenticate(world.userWithKey("b@example.com", "roomy"));
      world.provider.usage(1000, 200);
      g.chat(a, ChatRequest.of("model-cheap", "Hello"));
      g.chat(b, ChatRequest.of("model-cheap", "Hello"));
      assertThat(g.openLeases()).isEqualTo(2);

      assertThat(
              g.admin().spendLogs(Principal.MASTER, SpendQuery.all(PageRequest.first(10))).items())
          .hasSize(2);
      assertThat(g.openLeases()).as("spend reads leave leases alone").isEqualTo(2);

      var daily =
          g.admin().budgetStatus(Principal.MASTER, BudgetScope.user("a@example.com")).stream()
              .filter(s -> s.window() == BudgetWindow.DAILY)
              .findFirst()
              .orElseThrow();
      assertThat(daily.committed()).isEqualTo(Money.ofNanos(63_000));
      assertThat(daily.reserved()).as("a's lease given back before the read").isEqualTo(Money.ZERO);
      assertThat(g.openLeases()).as("b's lease untouched").isEqualTo(1);
    }
  }

  @Test
  void aLeaseClosesWithItsWindowOrWhenIdleAndGivesBackWhatIsLeft() throws Exception {
    try (Gateway g = gateway(GatewayConfig.Settlement.DEFERRED, WINDOW)) {
      Principal p = g.authenticate(world.userWithKey("a@example.com", "roomy"));
      g.chat(p, ChatRequest.of("model-cheap", "Hello"));
      assertThat(ledger.reserves.get()).isEqualTo(1);

      world.clock.advance(WINDOW);
      g.chat(p, ChatRequest.of("model-cheap", "Hello"));
      assertThat(ledger.reserves.get()).as("a new lease for the new window").isEqualTo(2);

      world.clock.advance(BudgetLeases.IDLE.plusSeconds(1));
      // The maintenance thread notices within a fraction of a second.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (ledger.releases.get() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(ledger.releases.get()).isEqualTo(2);
      g.flushSettlements(Duration.ofSeconds(10));
      long spent = spend().stream().mapToLong(r -> r.cost().nanos()).sum();
      assertThat(daily("a@example.com"))
          .isEqualTo(new CounterBalance(Money.ofNanos(spent), Money.ZERO));
    }
  }

  @Test
  void concurrentRequestsOnASharedTeamCapNeverOvershootAndAddUp() throws Exception {
    world
        .stores
        .teams()
        .insert(
            Fixtures.team("crowd")
                .models("model-cheap")
                .memberBudget(BudgetLimit.daily(Money.ofUsd("10")))
                .teamBudget(BudgetLimit.daily(Money.ofUsd("0.2")))
                .at(world.clock.instant())
                .build());
    world.provider.usage(10, 2_000); // within the input bound: cost never exceeds a worst case
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicInteger refused = new AtomicInteger();
    try (Gateway g = gateway(GatewayConfig.Settlement.DEFERRED, WINDOW)) {
      List<Principal> users = new ArrayList<>();
      for (int u = 0; u < 4; u++) {
        users.add(g.authenticate(world.userWithKey("u" + u + "@example.com", "crowd")));
      }
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Principal p = users.get(t % users.size());
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 150; i++) {
                    try {
                      g.chat(p, ChatRequest.of("model-cheap", "Hello"));
                    } catch (BudgetExceededException e) {
                      refused.incrementAndGet();
                    }
                    CounterBalance team = teamDaily("crowd");
                    assertThat(team.used()).isLessThanOrEqualTo(Money.ofUsd("0.2"));
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get(60, TimeUnit.SECONDS);
      }
      g.flushSettlements(Duration.ofSeconds(10));
    } finally {
      pool.shutdownNow();
    }
    CounterBalance team = teamDaily("crowd");
    assertThat(refused.get()).as("the cap was reached").isGreaterThan(0);
    assertThat(team.reserved()).isEqualTo(Money.ZERO);
    assertThat(team.committed()).isLessThanOrEqualTo(Money.ofUsd("0.2"));
    assertThat(spend().stream().mapToLong(r -> r.cost().nanos()).sum())
        .isEqualTo(team.committed().nanos());
  }

  /** Sends requests as a new user of {@code tier} until one is refused; returns each outcome. */
  private List<String> runUntilRefused(Duration leaseWindow, String tier, String email) {
    List<String> outcomes = new ArrayList<>();
    // Inline settlement: each request's spend is in the ledger before the next one, so the two
    // runs see the same balances at every step (deferred, that would depend on thread timing).
    try (Gateway g = gateway(GatewayConfig.Settlement.INLINE, leaseWindow)) {
      Principal p = g.authenticate(world.userWithKey(email, tier));
      for (int i = 0; i < 2_000; i++) {
        AtomicReference<AdmissionGrant> grant = new AtomicReference<>();
        try {
          g.chat(
              p,
              ChatRequest.of("model-cheap", "Write a long story"),
              Gateway.newRequestId(),
              grant::set);
          outcomes.add("cap " + grant.get().outputCap());
        } catch (BudgetExceededException e) {
          outcomes.add("refused " + e.getMessage());
          break;
        }
      }
    }
    return outcomes;
  }
}

package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.ForwardingLedger;
import io.llmgateway.core.testing.TestWorld;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Budget leases on the seed's tier budgets (config/tiers.yaml: $0.017/$0.033/$0.067 a day,
 * $0.50/$1/$2 a month per member, a few worst cases to a few dozen): the equivalence of {@link
 * GatewayBudgetLeasesTest} (same output caps, same refusal, same charges with leases as without,
 * spending a budget to its end) on each of them, and how many requests of a tier user sending back
 * to back are admitted without a durable commit of their own.
 */
class TierBudgetLeasesTest {
  private static final Duration WINDOW = Duration.ofSeconds(10);

  private final TestWorld world = new TestWorld();
  private final CountingLedger ledger = new CountingLedger(world.stores.ledger());

  private Gateway gateway(GatewayConfig.Settlement settlement, Duration leaseWindow) {
    return Gateway.builder()
        .stores(world.storesWith(ledger))
        .provider(world.provider)
        .clock(world.clock)
        .config(GatewayConfig.builder().settlement(settlement).leaseWindow(leaseWindow).build())
        .build();
  }

  /**
   * Each tier's daily budget, and its monthly one (a tier with the same monthly budget and no tight
   * daily one), spent to the end by requests without max_tokens: each may produce the model's
   * 5,000-token cap; the answers use {@code output} tokens of it, so the leases' rests and the
   * clamped caps at the end differ from one usage to another.
   */
  @ParameterizedTest(name = "{0} {1} budget, {3} output tokens an answer")
  @CsvSource({
    "drafting, daily, model-cheap, 5000, 0.017, 0.50",
    "drafting, daily, model-cheap, 3100, 0.017, 0.50",
    "drafting, monthly, model-cheap, 5000, 100, 0.50",
    "coding, daily, model-balanced, 5000, 0.033, 1.00",
    "coding, daily, model-balanced, 1700, 0.033, 1.00",
    "coding, monthly, model-balanced, 4000, 100, 1.00",
    "architect, daily, model-reasoning, 5000, 0.067, 2.00",
    "architect, daily, model-reasoning, 2600, 0.067, 2.00",
    "architect, monthly, model-reasoning, 5000, 100, 2.00",
  })
  void spendingATierBudgetToTheEndGivesTheSameAnswersAndChargesAsWithoutLeases(
      String tier, String window, String model, long output, String daily, String monthly) {
    String team = tier + "-" + window;
    world.tier(team, model, daily, monthly);
    world.provider.usage(10, output);

    List<String> with = runUntilRefused(WINDOW, team, model, "a@example.com");
    int reservesWith = ledger.reserves.getAndSet(0);
    List<String> without = runUntilRefused(Duration.ZERO, team, model, "b@example.com");

    assertThat(with).isEqualTo(without).hasSizeGreaterThan(3);
    assertThat(with.getLast()).startsWith("refused");
    assertThat(reservesWith).as("leases were used").isLessThan(ledger.reserves.get());
    for (BudgetWindow w : List.of(BudgetWindow.DAILY, BudgetWindow.MONTHLY)) {
      CounterBalance a = counter("a@example.com", w);
      assertThat(a).as(w.name()).isEqualTo(counter("b@example.com", w));
      assertThat(a.reserved()).as(w.name()).isEqualTo(Money.ZERO);
    }
  }

  /**
   * A drafting user sending requests back to back (one every 100 ms for 100 s, a 100-token prompt
   * and a 50-token answer each, no max_tokens): how many are admitted without waiting for a durable
   * commit (a lease's or their own reservation). Before leases applied to small budgets, none were.
   */
  @Test
  void aDraftingUserSendingBackToBackIsAdmittedAgainstLeases() {
    world.provider.usage(100, 50);
    int requests = 1_000;
    int admitted = 0;
    try (Gateway g = gateway(GatewayConfig.Settlement.DEFERRED, WINDOW)) {
      Principal p = g.authenticate(world.userWithKey("d@example.com", "drafting"));
      String prompt = "word ".repeat(100);
      for (int i = 0; i < requests; i++) {
        try {
          g.chat(p, ChatRequest.of("model-cheap", prompt));
          admitted++;
        } catch (BudgetExceededException e) {
          break;
        }
        world.clock.advance(Duration.ofMillis(100));
      }
      g.flushSettlements(Duration.ofSeconds(10));
    }
    int durable = ledger.reserves.get();
    double share = 1.0 - (double) durable / admitted;
    System.out.printf(
        "drafting, back to back: %d admitted, %d durable reserves (%d of them leases),"
            + " %.1f%% admitted without a durable commit of their own%n",
        admitted, durable, ledger.leases.get(), 100 * share);
    assertThat(admitted).isEqualTo(requests);
    assertThat(ledger.leases.get()).as("one lease per window").isBetween(10, 12);
    assertThat(share).isGreaterThanOrEqualTo(0.98);
    CounterBalance day = counter("d@example.com", BudgetWindow.DAILY);
    assertThat(day.reserved()).isEqualTo(Money.ZERO);
    assertThat(day.committed()).isLessThanOrEqualTo(Money.ofUsd("0.017"));
  }

  /**
   * Leases off, deferred settlement, and a writer slower than the requests (a busy database): a
   * drafting user's back-to-back requests leave settlements queued, each still holding its worst
   * case on the daily counter (~24 worst cases in all). They must not refuse the user's next
   * request while most of the day's budget is unspent.
   */
  @Test
  void withLeasesOffQueuedSettlementsDoNotRefuseTheUsersNextRequest() {
    world.provider.usage(100, 50);
    SlowWriterLedger slow = new SlowWriterLedger(world.stores.ledger());
    int admitted = 0;
    try (Gateway g =
        Gateway.builder()
            .stores(world.storesWith(slow))
            .provider(world.provider)
            .clock(world.clock)
            .config(
                GatewayConfig.builder()
                    .settlement(GatewayConfig.Settlement.DEFERRED)
                    .leaseWindow(Duration.ZERO)
                    .build())
            .build()) {
      Principal p = g.authenticate(world.userWithKey("s@example.com", "drafting"));
      for (int i = 0; i < 100; i++) {
        try {
          g.chat(p, ChatRequest.of("model-cheap", "word ".repeat(100)));
          admitted++;
        } catch (BudgetExceededException e) {
          break;
        }
      }
    }
    assertThat(admitted).isEqualTo(100);
    // 100 requests at $0.0000105 each: a sixteenth of the day's $0.017.
    assertThat(counter("s@example.com", BudgetWindow.DAILY).committed())
        .isEqualTo(Money.ofNanos(100 * 10_500));
  }

  /** Sends requests as a new user of {@code team} until one is refused; returns each outcome. */
  private List<String> runUntilRefused(
      Duration leaseWindow, String team, String model, String email) {
    List<String> outcomes = new ArrayList<>();
    // Inline settlement: each request's spend is in the ledger before the next one, so the two
    // runs see the same balances at every step.
    try (Gateway g = gateway(GatewayConfig.Settlement.INLINE, leaseWindow)) {
      Principal p = g.authenticate(world.userWithKey(email, team));
      for (int i = 0; i < 3_000; i++) {
        AtomicReference<AdmissionGrant> grant = new AtomicReference<>();
        try {
          g.chat(
              p, ChatRequest.of(model, "Write a long story"), Gateway.newRequestId(), grant::set);
          outcomes.add("cap " + grant.get().outputCap());
        } catch (BudgetExceededException e) {
          outcomes.add("refused " + e.getMessage());
          break;
        }
      }
    }
    return outcomes;
  }

  private CounterBalance counter(String user, BudgetWindow window) {
    CounterKey k =
        new CounterKey(
            BudgetScope.user(user),
            window,
            window.periodAt(world.clock.instant(), ZoneOffset.UTC).key());
    return world.stores.ledger().balances(List.of(k)).get(k);
  }

  /** Counts durable reservations made: every one, and those that are leases. */
  private static final class CountingLedger extends ForwardingLedger {
    final AtomicInteger reserves = new AtomicInteger();
    final AtomicInteger leases = new AtomicInteger();

    CountingLedger(BudgetLedger delegate) {
      super(delegate);
    }

    @Override
    public ReserveOutcome reserve(ReservationRequest request) {
      reserves.incrementAndGet();
      if (request.reservationId().startsWith("lease-")) {
        leases.incrementAndGet();
      }
      return delegate.reserve(request);
    }
  }

  /** A ledger whose batched settlement writes take 30 ms each. */
  private static final class SlowWriterLedger extends ForwardingLedger {
    SlowWriterLedger(BudgetLedger delegate) {
      super(delegate);
    }

    @Override
    public int settleAll(List<io.llmgateway.core.budget.Settlement> settlements) {
      try {
        Thread.sleep(30);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return delegate.settleAll(settlements);
    }
  }
}

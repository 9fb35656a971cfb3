package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.testing.ForwardingLedger;
import io.llmgateway.core.testing.TestWorld;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway with {@link GatewayConfig.Settlement#DEFERRED}: spend written just after answers. */
class GatewayDeferredSettlementTest {
  private final TestWorld world = new TestWorld();
  private final Gateway gateway =
      world.gateway(GatewayConfig.builder().settlement(GatewayConfig.Settlement.DEFERRED).build());

  @AfterEach
  void close() {
    gateway.close();
  }

  @Test
  void spendIsWrittenJustAfterTheAnswerAndFlushWaitsForIt() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    world.provider.usage(1000, 200);

    gateway.chat(p, ChatRequest.of("model-cheap", "Hello"));

    assertThat(gateway.flushSettlements(Duration.ofSeconds(10))).isTrue();
    assertThat(spend())
        .singleElement()
        .satisfies(r -> assertThat(r.cost().nanos()).isEqualTo(63_000));
    assertThat(daily("a@example.com"))
        .isEqualTo(new CounterBalance(Money.ofNanos(63_000), Money.ZERO));
  }

  @Test
  void budgetsHoldWhileSettlementsAreStillQueued() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    world.provider.usage(10, 5_000); // every answer uses all the output it is allowed

    BudgetExceededException refusal = null;
    for (int calls = 0; refusal == null && calls < 100; calls++) {
      try {
        gateway.chat(p, ChatRequest.of("model-cheap", "Write a long story"));
      } catch (BudgetExceededException e) {
        refusal = e;
      }
    }
    gateway.flushSettlements(Duration.ofSeconds(10));

    assertThat(refusal).isNotNull();
    CounterBalance b = daily("a@example.com");
    assertThat(b.reserved()).isEqualTo(Money.ZERO);
    assertThat(b.committed()).isLessThanOrEqualTo(Money.ofUsd("0.017"));
    assertThat(b.committed().nanos())
        .isEqualTo(spend().stream().mapToLong(r -> r.cost().nanos()).sum());
  }

  @Test
  void closeWritesWhatIsQueuedAndLaterRequestsSettleInline() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    for (int i = 0; i < 5; i++) {
      gateway.chat(p, ChatRequest.of("model-cheap", "Hello"));
    }

    gateway.close();
    assertThat(spend()).hasSize(5);
    gateway.chat(p, ChatRequest.of("model-cheap", "Hello"));
    assertThat(spend()).hasSize(6);
  }

  @Test
  void spendReportsOnTheSameGatewayIncludeItsAnsweredRequests() {
    // A ledger that takes its time to settle: without the flush before a report, the report would
    // be read before the settlement is written.
    BudgetLedger slow = new SlowSettleLedger(world.stores.ledger());
    Stores slowStores = world.storesWith(slow);
    try (Gateway g =
        Gateway.builder()
            .stores(slowStores)
            .provider(world.provider)
            .clock(world.clock)
            .config(GatewayConfig.builder().settlement(GatewayConfig.Settlement.DEFERRED).build())
            .build()) {
      Principal p = g.authenticate(world.userWithKey("a@example.com", "drafting"));
      world.provider.usage(1000, 200);

      g.chat(p, ChatRequest.of("model-cheap", "Hello"));

      assertThat(
              g.admin().spendLogs(Principal.MASTER, SpendQuery.all(PageRequest.first(10))).items())
          .singleElement()
          .satisfies(r -> assertThat(r.cost().nanos()).isEqualTo(63_000));
      g.chat(p, ChatRequest.of("model-cheap", "Hello"));
      assertThat(
              g.admin().budgetStatus(Principal.MASTER, BudgetScope.user("a@example.com")).stream()
                  .filter(b -> b.window() == BudgetWindow.DAILY)
                  .findFirst()
                  .orElseThrow()
                  .committed())
          .isEqualTo(Money.ofNanos(126_000));
    }
  }

  /** Settles like its delegate, 300 ms later. */
  private static final class SlowSettleLedger extends ForwardingLedger {
    SlowSettleLedger(BudgetLedger delegate) {
      super(delegate);
    }

    @Override
    public boolean settle(String reservationId, SpendRecord record) {
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return delegate.settle(reservationId, record);
    }
  }

  private CounterBalance daily(String userId) {
    CounterKey k =
        new CounterKey(
            BudgetScope.user(userId),
            BudgetWindow.DAILY,
            BudgetWindow.DAILY.periodAt(world.clock.instant(), ZoneOffset.UTC).key());
    return world.stores.ledger().balances(List.of(k)).get(k);
  }

  private List<SpendRecord> spend() {
    return world.stores.spendLog().query(SpendQuery.all(PageRequest.first(100))).items();
  }
}

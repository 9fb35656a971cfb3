package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.testing.ForwardingLedger;
import io.llmgateway.core.testing.TestWorld;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 2, in the core: draws the ledger acknowledged but lost (as a database crash loses
 * asynchronously committed ones) are charged when the lease is released, because the release
 * carries what this instance drew. Before, the release freed what they had cost.
 */
class LeaseLostDrawsTest {
  private final TestWorld world = new TestWorld();

  LeaseLostDrawsTest() {
    world.tier("roomy", "model-cheap", "10", "100");
  }

  @Test
  void drawsAcknowledgedButLostAreChargedByTheLeasesRelease() {
    LosingLedger ledger = new LosingLedger(world.stores.ledger());
    try (Gateway g =
        Gateway.builder()
            .stores(world.storesWith(ledger))
            .provider(world.provider)
            .clock(world.clock)
            .config(
                GatewayConfig.builder()
                    .settlement(GatewayConfig.Settlement.DEFERRED)
                    .leaseWindow(Duration.ofSeconds(10))
                    .build())
            .build()) {
      Principal p = g.authenticate(world.userWithKey("a@example.com", "roomy"));
      world.provider.usage(1000, 200); // 63,000 nano-USD a request
      for (int i = 0; i < 5; i++) {
        g.chat(p, ChatRequest.of("model-cheap", "Hello"));
      }
      g.flushSettlements(Duration.ofSeconds(10)); // draws "written" (lost), then the release

      assertThat(ledger.lost).as("draws acknowledged but lost").isEqualTo(5);
      CounterKey daily =
          new CounterKey(
              BudgetScope.user("a@example.com"),
              BudgetWindow.DAILY,
              BudgetWindow.DAILY.periodAt(world.clock.instant(), ZoneOffset.UTC).key());
      assertThat(world.stores.ledger().balances(List.of(daily)).get(daily))
          .isEqualTo(new CounterBalance(Money.ofNanos(5 * 63_000), Money.ZERO));
      List<SpendRecord> rows =
          world.stores.spendLog().query(SpendQuery.all(PageRequest.first(100))).items();
      assertThat(rows)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.cost()).isEqualTo(Money.ofNanos(5 * 63_000));
                assertThat(r.errorCode()).contains(BudgetLedger.DRAWS_LOST);
              });
    }
  }

  /** Acknowledges every draw of a batch but writes none of them (a crash lost them). */
  private static final class LosingLedger extends ForwardingLedger {
    volatile int lost;

    LosingLedger(BudgetLedger delegate) {
      super(delegate);
    }

    @Override
    public int settleAll(List<Settlement> settlements) {
      List<Settlement> kept =
          settlements.stream().filter(s -> !(s instanceof Settlement.Draw)).toList();
      lost += settlements.size() - kept.size();
      return delegate.settleAll(kept) + settlements.size() - kept.size();
    }
  }
}

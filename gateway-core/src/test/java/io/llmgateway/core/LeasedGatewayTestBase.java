package io.llmgateway.core;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.testing.ForwardingLedger;
import io.llmgateway.core.testing.TestWorld;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the tests of the gateway with budget leases share: a {@link TestWorld} with the tier
 * "roomy", a ledger that counts reserves and releases, a gateway over both, and reads of the spend
 * log and of the daily counters.
 */
abstract class LeasedGatewayTestBase {
  static final Duration WINDOW = Duration.ofSeconds(10);

  final TestWorld world = new TestWorld();
  final CountingLedger ledger = new CountingLedger(world.stores.ledger());

  LeasedGatewayTestBase() {
    // Budgets large enough for leases: $10 a day, $100 a month per member.
    world.tier("roomy", "model-cheap", "10", "100");
  }

  Gateway gateway(GatewayConfig.Settlement settlement, Duration leaseWindow) {
    return Gateway.builder()
        .stores(world.storesWith(ledger))
        .provider(world.provider)
        .clock(world.clock)
        .config(GatewayConfig.builder().settlement(settlement).leaseWindow(leaseWindow).build())
        .build();
  }

  List<SpendRecord> spend() {
    return world.stores.spendLog().query(SpendQuery.all(PageRequest.first(1_000))).items();
  }

  CounterBalance daily(String user) {
    return counter(BudgetScope.user(user));
  }

  CounterBalance teamDaily(String team) {
    return counter(BudgetScope.team(team));
  }

  private CounterBalance counter(BudgetScope scope) {
    CounterKey k =
        new CounterKey(
            scope,
            BudgetWindow.DAILY,
            BudgetWindow.DAILY.periodAt(world.clock.instant(), ZoneOffset.UTC).key());
    return world.stores.ledger().balances(List.of(k)).get(k);
  }

  /** Counts reservations made and released. */
  static final class CountingLedger extends ForwardingLedger {
    final AtomicInteger reserves = new AtomicInteger();
    final AtomicInteger releases = new AtomicInteger();

    CountingLedger(BudgetLedger delegate) {
      super(delegate);
    }

    @Override
    public ReserveOutcome reserve(ReservationRequest request) {
      reserves.incrementAndGet();
      return delegate.reserve(request);
    }

    @Override
    public boolean release(String reservationId, Money drawn) {
      releases.incrementAndGet();
      return delegate.release(reservationId, drawn);
    }

    @Override
    public int settleAll(List<io.llmgateway.core.budget.Settlement> settlements) {
      releases.addAndGet(
          (int)
              settlements.stream()
                  .filter(s -> s instanceof io.llmgateway.core.budget.Settlement.Release)
                  .count());
      return delegate.settleAll(settlements);
    }
  }
}

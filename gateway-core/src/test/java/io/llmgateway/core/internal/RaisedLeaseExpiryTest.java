package io.llmgateway.core.internal;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.spend;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.InvalidationBus;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.Fixtures;
import io.llmgateway.core.testing.TestWorld;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A budget lease taken on a raised limit (a temporary increase) admits nothing at or after the
 * increase's expiry, even for a request that still presents the raised lines, and however long its
 * window: the lease's admission ends at the earliest {@link BudgetLine#limitUntil} of its lines.
 */
class RaisedLeaseExpiryTest {
  private static final Instant EXPIRY = T0.plusSeconds(3);
  private static final Money WORST = Money.ofUsd("0.01");

  @Test
  void aLeaseOnARaisedLimitStopsAdmittingAtTheIncreasesExpiry() {
    BudgetLedger ledger = new TestWorld().stores.ledger();
    InvalidationBus bus =
        new InvalidationBus() {
          @Override
          public void publish(Invalidation invalidation) {}

          @Override
          public void subscribe(java.util.function.Consumer<Invalidation> listener) {}
        };
    BudgetLine base = Fixtures.dailyLine(BudgetScope.user("u"), Money.ofUsd("10"), T0);
    // $10 raised to $20 until EXPIRY: the line BudgetPlan hands out before the expiry.
    List<BudgetLine> raised =
        List.of(new BudgetLine(base.counter(), Money.ofUsd("20"), base.resetsAt(), EXPIRY));
    SettlementWriter writer = SettlementWriter.inline(ledger);
    try (BudgetLeases leases =
        new BudgetLeases(
            ledger,
            bus,
            writer,
            Duration.ofSeconds(10),
            Duration.ofMinutes(15),
            Clock.fixed(T0, ZoneOffset.UTC))) {
      assertThat(leases.hold(raised, WORST, spend("r1", "k").pending(), "c1", T0)).isPresent();
      assertThat(leases.hold(raised, WORST, spend("r2", "k").pending(), "c2", EXPIRY.minusNanos(1)))
          .as("the last nanosecond before the expiry")
          .isPresent();
      assertThat(leases.hold(raised, WORST, spend("r3", "k").pending(), "c3", EXPIRY))
          .as("at the expiry (the window would run to T0 + 10 s)")
          .isEmpty();
      assertThat(BudgetLeases.admitUntil(raised, T0, Duration.ofSeconds(10))).isEqualTo(EXPIRY);
    }
  }
}

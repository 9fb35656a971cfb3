package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static io.llmgateway.core.testing.Fixtures.spend;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BudgetLedger} must do for the sweeper ({@link
 * io.llmgateway.core.budget.LedgerUpkeep}): overdue reservations expire, charged in full, once;
 * ended ones are purged. Subclass it with a factory for fresh, empty stores.
 */
public abstract class UpkeepLedgerContract extends LedgerContractBase {

  @Test
  void expireChargesTheFullReservedAmountWithAnExpiredRecord() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(1000), T0);
    ledger.reserve(request("r1", 400, daily));

    int expired = ledger.expire(DEADLINE.plusSeconds(1));

    assertThat(expired).isEqualTo(1);
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(400), Money.ZERO));
    SpendRecord row =
        stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items().getFirst();
    assertThat(row.requestId()).isEqualTo("r1");
    assertThat(row.keyId()).isEqualTo("k1");
    assertThat(row.userId()).contains("u1");
    assertThat(row.teamId()).contains("t1");
    assertThat(row.status()).isEqualTo(SpendStatus.EXPIRED);
    assertThat(row.cost()).isEqualTo(Money.ofNanos(400));
  }

  @Test
  void expireLeavesReservationsWhoseDeadlineHasNotPassed() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(1000), T0);
    ledger.reserve(request("r1", 400, daily));

    assertThat(ledger.expire(DEADLINE.minusSeconds(1))).isZero();
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(400)));
    assertThat(ledger.settle("r1", spend("r1", "k1").nanos(10).build())).isTrue();
  }

  @Test
  void aReservationExpiresOnlyOnceAndCannotBeSettledAfterwards() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(1000), T0);
    ledger.reserve(request("r1", 400, daily));

    assertThat(ledger.expire(DEADLINE.plusSeconds(1))).isEqualTo(1);
    assertThat(ledger.expire(DEADLINE.plusSeconds(2))).isZero();
    assertThat(ledger.settle("r1", spend("r1", "k1").nanos(10).build())).isFalse();
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(400), Money.ZERO));
  }

  @Test
  void purgeDeletesReservationsThatEndedBeforeTheCutoffAndNothingElse() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(100_000), T0);
    ledger.reserve(request("old-settled", 500, daily));
    ledger.reserve(request("old-expired", 400, daily));
    ledger.reserve(request("new-settled", 300, daily));
    ledger.reserve(request("held", 200, daily));
    ledger.settle("old-settled", spend("old-settled", "k1").nanos(100).ended(T0).build());
    ledger.expire(DEADLINE.plusSeconds(1)); // expires all three still held...
    CounterBalance before = balance(daily);

    // ...so make the two that should stay: one ended later, one still held.
    ledger.reserve(request("later", 300, daily));
    ledger.settle("later", spend("later", "k1").nanos(50).ended(DEADLINE.plusSeconds(60)).build());
    ledger.reserve(
        new ReservationRequest(
            "held-now",
            List.of(daily),
            Money.ofNanos(200),
            T0,
            DEADLINE.plusSeconds(3_600),
            spend("held-now", "k1").pending()));
    CounterBalance kept = balance(daily);

    int purged = ledger.purgeEnded(DEADLINE.plusSeconds(30), 100);

    assertThat(purged).isEqualTo(4); // old-settled, and the three expired at DEADLINE + 1 s
    assertThat(ledger.purgeEnded(DEADLINE.plusSeconds(30), 100)).isZero();
    assertThat(balance(daily)).isEqualTo(kept);
    assertThat(kept.committed()).isEqualTo(before.committed().plus(Money.ofNanos(50)));
    // Ended, then purged: a late settle still changes nothing.
    assertThat(ledger.settle("old-settled", spend("old-settled", "k1").nanos(999).build()))
        .isFalse();
    assertThat(balance(daily)).isEqualTo(kept);
    // The held one and the later one are untouched.
    assertThat(ledger.settle("held-now", spend("held-now", "k1").nanos(20).build())).isTrue();
    assertThat(ledger.purgeEnded(DEADLINE.plusSeconds(120), 1)).isEqualTo(1); // at most max
    assertThat(ledger.purgeEnded(DEADLINE.plusSeconds(120), 10)).isEqualTo(1);
    assertThat(ledger.purgeEnded(DEADLINE.plusSeconds(120), 10)).isZero();
  }
}

package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static io.llmgateway.core.testing.Fixtures.monthlyLine;
import static io.llmgateway.core.testing.Fixtures.spend;
import static io.llmgateway.core.testing.Fixtures.team;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BudgetLedger} must do for budget leases ({@link
 * io.llmgateway.core.budget.LeaseLedger}): a reservation drawn on by many requests, then released;
 * draws it never saw charged at release. Subclass it with a factory for fresh, empty stores.
 */
public abstract class LeaseLedgerContract extends LedgerContractBase {

  // Budget leases: a reservation drawn on by many requests, then released.

  @Test
  void drawChargesTheCostFromAHeldReservationWhichStaysHeldWithLess() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    BudgetLine monthly = monthlyLine(TEAM, Money.ofNanos(90_000), T0);
    ledger.reserve(request("lease", 5_000, daily, monthly));
    SpendRecord a = spend("req-a", "k1").user("u1").team("t1").usage(3, 4).nanos(700).build();
    SpendRecord b = spend("req-b", "k1").user("u1").team("t1").nanos(300).build();

    assertThat(ledger.draw("lease", a)).isTrue();
    assertThat(ledger.draw("lease", b)).isTrue();

    CounterBalance expected = new CounterBalance(Money.ofNanos(1_000), Money.ofNanos(4_000));
    assertThat(balance(daily)).isEqualTo(expected);
    assertThat(balance(monthly)).isEqualTo(expected);
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items())
        .containsExactlyInAnyOrder(a, b);
  }

  @Test
  void leasedOnSumsWhatHeldLeasesHoldOnTheGivenCountersOnly() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(100_000), T0);
    BudgetLine teamDaily = dailyLine(TEAM, Money.ofNanos(100_000), T0);
    BudgetLine other = dailyLine(BudgetScope.user("u2"), Money.ofNanos(100_000), T0);
    ledger.reserve(lease("lease-1", 5_000, daily, teamDaily));
    ledger.reserve(lease("lease-2", 3_000, other));
    ledger.reserve(request("plain", 7_000, daily)); // a request's own reservation is no lease

    assertThat(ledger.leasedOn(List.of(daily.counter()))).isEqualTo(Money.ofNanos(5_000));
    assertThat(ledger.leasedOn(List.of(teamDaily.counter(), other.counter())))
        .isEqualTo(Money.ofNanos(8_000));
    ledger.draw("lease-1", spend("req-a", "k1").nanos(1_000).build());
    assertThat(ledger.leasedOn(List.of(daily.counter()))).isEqualTo(Money.ofNanos(4_000));
    ledger.release("lease-1", Money.ofNanos(1_000));
    assertThat(ledger.leasedOn(List.of(daily.counter(), teamDaily.counter())))
        .isEqualTo(Money.ZERO);
  }

  private static ReservationRequest lease(String id, long nanos, BudgetLine... lines) {
    return new ReservationRequest(
        id,
        List.of(lines),
        Money.ofNanos(nanos),
        T0,
        DEADLINE,
        spend(id, "k1").model(BudgetLedger.LEASE_MODEL).pending());
  }

  @Test
  void drawingTheSameRequestTwiceChargesItOnce() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    ledger.reserve(request("lease", 5_000, daily));
    SpendRecord a = spend("req-a", "k1").nanos(700).build();

    assertThat(ledger.draw("lease", a)).isTrue();
    assertThat(ledger.settleAll(List.of(new Settlement.Draw("lease", a.requestId(), a)))).isZero();

    assertThat(balance(daily))
        .isEqualTo(new CounterBalance(Money.ofNanos(700), Money.ofNanos(4_300)));
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).total()).isEqualTo(1);
  }

  @Test
  void releaseGivesBackWhatIsLeftAndChargesNothing() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    ledger.reserve(request("lease", 5_000, daily));
    ledger.draw("lease", spend("req-a", "k1").nanos(700).build());

    assertThat(ledger.release("lease", Money.ofNanos(700))).isTrue();
    assertThat(ledger.release("lease", Money.ofNanos(700))).isFalse();

    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(700), Money.ZERO));
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).total()).isEqualTo(1);
    // Ended: later draws and expiry change nothing.
    assertThat(ledger.draw("lease", spend("req-b", "k1").nanos(100).build())).isFalse();
    assertThat(ledger.expire(DEADLINE.plusSeconds(1))).isZero();
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(700), Money.ZERO));
  }

  @Test
  void anExpiredLeaseIsChargedWhatIsLeftOfItAndTakesNoMoreDraws() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    ledger.reserve(request("lease", 5_000, daily));
    ledger.draw("lease", spend("req-a", "k1").nanos(700).build());

    assertThat(ledger.expire(DEADLINE.plusSeconds(1))).isEqualTo(1);

    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(5_000), Money.ZERO));
    SpendRecord expired =
        stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items().stream()
            .filter(r -> r.requestId().equals("lease"))
            .findFirst()
            .orElseThrow();
    assertThat(expired.status()).isEqualTo(SpendStatus.EXPIRED);
    assertThat(expired.cost()).isEqualTo(Money.ofNanos(4_300));
    // A request that settles after its lease expired was covered by that charge.
    assertThat(ledger.draw("lease", spend("req-b", "k1").nanos(100).build())).isFalse();
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(5_000), Money.ZERO));
  }

  @Test
  void aDrawAboveWhatIsLeftChargesItAllAndHoldsNothingMore() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    ledger.reserve(request("lease", 500, daily));

    assertThat(ledger.draw("lease", spend("req-a", "k1").nanos(800).build())).isTrue();

    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(800), Money.ZERO));
    assertThat(ledger.release("lease", Money.ofNanos(800))).isTrue();
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(800), Money.ZERO));
  }

  @Test
  void oneBatchCarriesSettlesDrawsAndTheLeasesReleaseInOrder() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(100_000), T0);
    BudgetLine team = monthlyLine(TEAM, Money.ofNanos(900_000), T0);
    ledger.reserve(request("lease", 20_000, daily, team));
    ledger.reserve(request("r1", 3_000, daily, team));
    SpendRecord one = spend("r1", "k1").nanos(1_000).build();
    SpendRecord a = spend("req-a", "k1").nanos(2_000).build();
    SpendRecord b = spend("req-b", "k1").nanos(500).build();

    int done =
        ledger.settleAll(
            List.of(
                new Settlement.Draw("lease", a.requestId(), a),
                new Settlement.Settle("r1", one),
                new Settlement.Draw("lease", b.requestId(), b),
                new Settlement.Release(
                    "lease", spend("lease", "k1").build(), Money.ofNanos(2_500))));

    assertThat(done).isEqualTo(4);
    CounterBalance expected = new CounterBalance(Money.ofNanos(3_500), Money.ZERO);
    assertThat(balance(daily)).isEqualTo(expected);
    assertThat(balance(team)).isEqualTo(expected);
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items())
        .containsExactlyInAnyOrder(one, a, b);
  }

  @Test
  void oneBatchDrawsOnTwoLeasesEachByItsOwnDrawsAndNeverBelowZero() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(100_000), T0);
    BudgetLine team = monthlyLine(TEAM, Money.ofNanos(900_000), T0);
    ledger.reserve(request("lease-1", 1_000, daily, team));
    ledger.reserve(request("lease-2", 5_000, daily));
    SpendRecord a = spend("req-a", "k1").nanos(700).build();
    SpendRecord b = spend("req-b", "k1").nanos(600).build();
    SpendRecord c = spend("req-c", "k1").nanos(2_000).build();

    int done =
        ledger.settleAll(
            List.of(
                new Settlement.Draw("lease-1", a.requestId(), a),
                new Settlement.Draw("lease-2", c.requestId(), c),
                new Settlement.Draw("lease-1", b.requestId(), b)));

    // lease-1 drew 1,300 of 1,000 (all of it leaves reserved), lease-2 2,000 of 5,000.
    assertThat(done).isEqualTo(3);
    assertThat(balance(daily))
        .isEqualTo(new CounterBalance(Money.ofNanos(3_300), Money.ofNanos(3_000)));
    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ofNanos(1_300), Money.ZERO));
    assertThat(ledger.release("lease-1", Money.ofNanos(1_300))).isTrue();
    assertThat(ledger.release("lease-2", Money.ofNanos(2_000))).isTrue();
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(3_300), Money.ZERO));
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items())
        .containsExactlyInAnyOrder(a, b, c);
  }

  // A release carries what its holder drew; draws the ledger never saw (lost to a database crash
  // after they were acknowledged) are charged, not released.

  @Test
  void aReleaseWhoseDrawnTotalExceedsWhatTheLedgerSawChargesTheShortfall() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    BudgetLine team = monthlyLine(TEAM, Money.ofNanos(90_000), T0);
    ledger.reserve(request("lease", 5_000, daily, team));
    SpendRecord a = spend("req-a", "k1").user("u1").team("t1").nanos(700).build();
    ledger.draw("lease", a);

    // The holder drew 700 (written) + 1,200 (lost).
    assertThat(ledger.release("lease", Money.ofNanos(1_900))).isTrue();

    CounterBalance expected = new CounterBalance(Money.ofNanos(1_900), Money.ZERO);
    assertThat(balance(daily)).isEqualTo(expected);
    assertThat(balance(team)).isEqualTo(expected);
    List<SpendRecord> rows = stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items();
    assertThat(rows).hasSize(2).contains(a);
    SpendRecord lost = rows.stream().filter(r -> r.requestId().equals("lease")).findFirst().get();
    assertThat(lost.cost()).isEqualTo(Money.ofNanos(1_200));
    assertThat(lost.status()).isEqualTo(SpendStatus.EXPIRED);
    assertThat(lost.errorCode()).contains(BudgetLedger.DRAWS_LOST);
    assertThat(lost.keyId()).isEqualTo("k1");
    assertThat(lost.userId()).contains("u1");
    assertThat(lost.teamId()).contains("t1");
    assertThat(lost.usage()).isEmpty();

    // Idempotent: a second release (or a late expiry) changes nothing.
    assertThat(ledger.release("lease", Money.ofNanos(1_900))).isFalse();
    assertThat(ledger.expire(DEADLINE.plusSeconds(1))).isZero();
    assertThat(balance(daily)).isEqualTo(expected);
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).total()).isEqualTo(2);
  }

  @Test
  void aReleaseWhoseDrawnTotalTheLedgerSawChargesNothing() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    ledger.reserve(request("lease", 5_000, daily));
    ledger.draw("lease", spend("req-a", "k1").nanos(700).build());
    ledger.draw("lease", spend("req-b", "k1").nanos(300).build());
    ledger.draw("lease", spend("req-a", "k1").nanos(700).build()); // a retry: not seen twice

    assertThat(ledger.release("lease", Money.ofNanos(1_000))).isTrue();

    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(1_000), Money.ZERO));
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).total()).isEqualTo(2);
  }

  @Test
  void aShortfallAboveWhatIsLeftOfTheLeaseIsChargedInFull() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    ledger.reserve(request("lease", 500, daily));

    assertThat(ledger.release("lease", Money.ofNanos(800))).isTrue();

    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(800), Money.ZERO));
  }

  @Test
  void aBatchsDrawsAreSeenByTheReleaseThatFollowsThem() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(100_000), T0);
    ledger.reserve(request("lease", 20_000, daily));
    SpendRecord a = spend("req-a", "k1").nanos(2_000).build();

    int done =
        ledger.settleAll(
            List.of(
                new Settlement.Draw("lease", a.requestId(), a),
                new Settlement.Release(
                    "lease", spend("lease", "k1").build(), Money.ofNanos(2_600))));

    assertThat(done).isEqualTo(2);
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(2_600), Money.ZERO));
    assertThat(
            stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items().stream()
                .filter(r -> r.requestId().equals("lease"))
                .map(SpendRecord::cost))
        .containsExactly(Money.ofNanos(600));
  }
}

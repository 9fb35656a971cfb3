package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static io.llmgateway.core.testing.Fixtures.key;
import static io.llmgateway.core.testing.Fixtures.monthlyLine;
import static io.llmgateway.core.testing.Fixtures.spend;
import static io.llmgateway.core.testing.Fixtures.team;
import static io.llmgateway.core.testing.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link BudgetLedger} must do. Subclass it with a factory for fresh, empty stores. */
public abstract class BudgetLedgerContract {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  protected Stores stores;
  protected BudgetLedger ledger;

  protected static final BudgetScope USER = BudgetScope.user("u1");
  protected static final BudgetScope TEAM = BudgetScope.team("t1");
  protected static final Instant DEADLINE = T0.plus(Duration.ofMinutes(5));

  @BeforeEach
  void setUpStores() {
    stores = newStores();
    ledger = stores.ledger();
    stores.teams().insert(team("t1").build());
    stores.users().insert(user("u1").team("t1").build());
    stores.keys().insert(key("k1").user("u1").team("t1").build());
  }

  protected static ReservationRequest request(String id, long nanos, BudgetLine... lines) {
    return new ReservationRequest(
        id,
        List.of(lines),
        Money.ofNanos(nanos),
        T0,
        DEADLINE,
        spend(id, "k1").user("u1").team("t1").pending());
  }

  protected CounterBalance balance(BudgetLine line) {
    return ledger.balances(List.of(line.counter())).get(line.counter());
  }

  @Test
  void aCounterNeverUsedReadsAsEmpty() {
    CounterKey k = dailyLine(USER, Money.ofNanos(1), T0).counter();

    assertThat(ledger.balances(List.of(k))).containsEntry(k, CounterBalance.EMPTY);
  }

  @Test
  void reserveHoldsTheAmountOnEveryLine() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(1000), T0);
    BudgetLine monthly = monthlyLine(TEAM, Money.ofNanos(5000), T0);

    var outcome = ledger.reserve(request("r1", 300, daily, monthly));

    assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
    var r = ((ReserveOutcome.Reserved) outcome).reservation();
    assertThat(r.amount()).isEqualTo(Money.ofNanos(300));
    assertThat(r.counters()).containsExactlyInAnyOrder(daily.counter(), monthly.counter());
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(300)));
    assertThat(balance(monthly)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(300)));
  }

  @Test
  void reserveMayFillACounterExactlyToItsLimit() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(1000), T0);

    assertThat(ledger.reserve(request("r1", 600, daily)))
        .isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(ledger.reserve(request("r2", 400, daily)))
        .isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(balance(daily).used()).isEqualTo(Money.ofNanos(1000));
  }

  @Test
  void reserveRefusesWhenAnyLineLacksRoomAndHoldsNothing() {
    BudgetLine roomy = dailyLine(TEAM, Money.ofNanos(1_000_000), T0);
    BudgetLine tight = dailyLine(USER, Money.ofNanos(1000), T0);
    ledger.reserve(request("r1", 900, tight));

    var outcome = ledger.reserve(request("r2", 101, roomy, tight));

    assertThat(outcome).isInstanceOf(ReserveOutcome.Refused.class);
    var refused = (ReserveOutcome.Refused) outcome;
    assertThat(refused.line()).isEqualTo(tight);
    assertThat(refused.balance()).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(900)));
    assertThat(balance(roomy)).isEqualTo(CounterBalance.EMPTY);
    assertThat(balance(tight).reserved()).isEqualTo(Money.ofNanos(900));
  }

  @Test
  void committedSpendCountsAgainstTheLimit() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(1000), T0);
    ledger.reserve(request("r1", 800, daily));
    ledger.settle("r1", spend("r1", "k1").nanos(700).build());

    assertThat(ledger.reserve(request("r2", 301, daily)))
        .isInstanceOf(ReserveOutcome.Refused.class);
    assertThat(ledger.reserve(request("r3", 300, daily)))
        .isInstanceOf(ReserveOutcome.Reserved.class);
  }

  @Test
  void theSameScopeInAnotherPeriodIsAnotherCounter() {
    BudgetLine today = dailyLine(USER, Money.ofNanos(1000), T0);
    BudgetLine tomorrow = dailyLine(USER, Money.ofNanos(1000), T0.plus(Duration.ofDays(1)));
    ledger.reserve(request("r1", 1000, today));

    assertThat(ledger.reserve(request("r2", 1000, tomorrow)))
        .isInstanceOf(ReserveOutcome.Reserved.class);
  }

  @Test
  void settleMovesTheActualCostIntoCommittedAndReleasesTheRest() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(1000), T0);
    BudgetLine monthly = monthlyLine(USER, Money.ofNanos(9000), T0);
    ledger.reserve(request("r1", 500, daily, monthly));

    boolean settled = ledger.settle("r1", spend("r1", "k1").nanos(120).build());

    assertThat(settled).isTrue();
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(120), Money.ZERO));
    assertThat(balance(monthly)).isEqualTo(new CounterBalance(Money.ofNanos(120), Money.ZERO));
  }

  @Test
  void settleAppendsTheSpendRecord() {
    ledger.reserve(request("r1", 500, dailyLine(USER, Money.ofNanos(1000), T0)));
    SpendRecord done =
        spend("r1", "k1")
            .user("u1")
            .team("t1")
            .usage(10, 20)
            .nanos(120)
            .ended(T0.plusSeconds(2))
            .build();

    ledger.settle("r1", done);

    var rows = stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items();
    assertThat(rows).containsExactly(done);
  }

  @Test
  void settlingTwiceChangesNothingTheSecondTime() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(1000), T0);
    ledger.reserve(request("r1", 500, daily));
    SpendRecord done = spend("r1", "k1").nanos(100).build();

    assertThat(ledger.settle("r1", done)).isTrue();
    assertThat(ledger.settle("r1", done)).isFalse();

    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(100), Money.ZERO));
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).total()).isEqualTo(1);
  }

  @Test
  void settlingAnUnknownReservationReturnsFalse() {
    assertThat(ledger.settle("never-made", spend("never-made", "k1").build())).isFalse();
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).total()).isZero();
  }

  @Test
  void settleAllSettlesEachReservationAsSettleWould() {
    BudgetLine userDaily = dailyLine(USER, Money.ofNanos(10_000), T0);
    BudgetLine teamMonthly = monthlyLine(TEAM, Money.ofNanos(90_000), T0);
    BudgetLine otherUser = dailyLine(BudgetScope.user("u2"), Money.ofNanos(10_000), T0);
    ledger.reserve(request("r1", 500, userDaily, teamMonthly));
    ledger.reserve(request("r2", 700, userDaily, teamMonthly));
    ledger.reserve(request("r3", 900, otherUser, teamMonthly));
    SpendRecord one = spend("r1", "k1").user("u1").team("t1").usage(10, 20).nanos(120).build();
    SpendRecord two = spend("r2", "k1").user("u1").team("t1").nanos(0).build();
    SpendRecord three = spend("r3", "k1").team("t1").usage(1, 2).nanos(900).build();

    int settled =
        ledger.settleAll(
            List.of(
                new Settlement.Settle("r1", one),
                new Settlement.Settle("r2", two),
                new Settlement.Settle("r3", three)));

    assertThat(settled).isEqualTo(3);
    assertThat(balance(userDaily)).isEqualTo(new CounterBalance(Money.ofNanos(120), Money.ZERO));
    assertThat(balance(otherUser)).isEqualTo(new CounterBalance(Money.ofNanos(900), Money.ZERO));
    assertThat(balance(teamMonthly))
        .isEqualTo(new CounterBalance(Money.ofNanos(1_020), Money.ZERO));
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items())
        .containsExactlyInAnyOrder(one, two, three);
  }

  @Test
  void settleAllSkipsReservationsAlreadySettledExpiredOrUnknown() {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    ledger.reserve(request("r1", 500, daily));
    ledger.reserve(request("r2", 600, daily));
    SpendRecord first = spend("r1", "k1").nanos(100).build();
    ledger.settle("r1", first);

    int settled =
        ledger.settleAll(
            List.of(
                new Settlement.Settle("r1", spend("r1", "k1").nanos(400).build()),
                new Settlement.Settle("r2", spend("r2", "k1").nanos(200).build()),
                new Settlement.Settle("never-made", spend("never-made", "k1").nanos(50).build())));

    assertThat(settled).isEqualTo(1);
    assertThat(balance(daily)).isEqualTo(new CounterBalance(Money.ofNanos(300), Money.ZERO));
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).total()).isEqualTo(2);
  }

  @Test
  void batchSettlesAndReservesOnSharedCountersRunSideBySideWithoutDeadlock() throws Exception {
    // Batches hold several counters at once; taking them in any order but the ledger's lock order
    // would deadlock against reserves that take the same counters.
    BudgetLine team = monthlyLine(TEAM, Money.ofNanos(1_000_000_000), T0);
    List<BudgetLine> users =
        List.of(
            dailyLine(BudgetScope.user("a"), Money.ofNanos(1_000_000_000), T0),
            dailyLine(BudgetScope.user("m"), Money.ofNanos(1_000_000_000), T0),
            dailyLine(BudgetScope.user("z"), Money.ofNanos(1_000_000_000), T0));
    int threads = 4;
    int rounds = 15;
    int perBatch = 6;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  int settled = 0;
                  for (int round = 0; round < rounds; round++) {
                    List<Settlement> batch = new ArrayList<>();
                    for (int i = 0; i < perBatch; i++) {
                      String id = "b" + thread + "-" + round + "-" + i;
                      // Each thread walks the users in a different order.
                      BudgetLine user = users.get((thread + i) % users.size());
                      ledger.reserve(request(id, 1_000, user, team));
                      batch.add(new Settlement.Settle(id, spend(id, "k1").nanos(10).build()));
                    }
                    settled += ledger.settleAll(batch.reversed());
                  }
                  return settled;
                }));
      }
      start.countDown();
      int settled = 0;
      for (Future<Integer> f : results) {
        settled += f.get(60, TimeUnit.SECONDS);
      }
      int all = threads * rounds * perBatch;
      assertThat(settled).isEqualTo(all);
      assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ofNanos(10L * all), Money.ZERO));
      assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(1))).total())
          .isEqualTo(all);
    } finally {
      pool.shutdownNow();
    }
  }

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

  @Test
  void concurrentReservationsNeverOvershootTheLimit() throws Exception {
    BudgetLine daily = dailyLine(USER, Money.ofNanos(10_000), T0);
    BudgetLine team = monthlyLine(TEAM, Money.ofNanos(7_000), T0);
    int attempts = 40;
    ExecutorService pool = Executors.newFixedThreadPool(8);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<ReserveOutcome>> results = new ArrayList<>();
    try {
      for (int i = 0; i < attempts; i++) {
        String id = "c" + i;
        results.add(
            pool.submit(
                () -> {
                  start.await();
                  return ledger.reserve(request(id, 1_000, daily, team));
                }));
      }
      start.countDown();
      long reserved = 0;
      for (Future<ReserveOutcome> f : results) {
        if (f.get(30, TimeUnit.SECONDS) instanceof ReserveOutcome.Reserved) {
          reserved++;
        }
      }
      assertThat(reserved).isEqualTo(7);
      assertThat(balance(team).used()).isEqualTo(Money.ofNanos(7_000));
      assertThat(balance(daily).used()).isEqualTo(Money.ofNanos(7_000));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void balancesReadSeveralCountersAtOnce() {
    BudgetLine a = dailyLine(USER, Money.ofNanos(1000), T0);
    BudgetLine b = dailyLine(TEAM, Money.ofNanos(1000), T0);
    ledger.reserve(request("r1", 5, a));

    var all = ledger.balances(List.of(a.counter(), b.counter()));

    assertThat(all).hasSize(2);
    assertThat(all.get(a.counter()).reserved()).isEqualTo(Money.ofNanos(5));
    assertThat(all.get(b.counter())).isEqualTo(CounterBalance.EMPTY);
  }
}

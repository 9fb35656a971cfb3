package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static io.llmgateway.core.testing.Fixtures.monthlyLine;
import static io.llmgateway.core.testing.Fixtures.spend;
import static io.llmgateway.core.testing.Fixtures.team;
import static io.llmgateway.core.testing.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BudgetLedger} must do to admit and charge requests ({@link
 * io.llmgateway.core.budget.ReservationLedger}: reserve, settle, balances; and the batched write,
 * {@link BudgetLedger#settleAll}). Leases: {@link LeaseLedgerContract}; expiry and purge: {@link
 * UpkeepLedgerContract}. Subclass it with a factory for fresh, empty stores.
 */
public abstract class BudgetLedgerContract extends LedgerContractBase {

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

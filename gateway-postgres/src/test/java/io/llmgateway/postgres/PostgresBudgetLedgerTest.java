package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.finished;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PostgresBudgetLedgerTest extends PostgresTestBase {

  private BudgetLedger ledger() {
    return stores.ledger();
  }

  private static Money nanos(long n) {
    return Money.ofNanos(n);
  }

  private CounterBalance balance(CounterKey k) {
    return ledger().balances(List.of(k)).get(k);
  }

  @Test
  void purgingAnEndedReservationTakesItsLinesAndLeavesItsSpendRow() {
    CounterKey team = teamDaily(id("team"), NOW);
    String rid = id("res");
    ledger()
        .reserve(
            reservation(
                rid, List.of(line(team, nanos(1_000))), nanos(300), NOW, NOW.plusSeconds(60)));
    ledger().settle(rid, finished(TestData.pending(rid, "t", NOW), nanos(120), NOW));

    // Everything that ended before a minute later, from this and earlier tests alike.
    while (ledger().purgeEnded(NOW.plusSeconds(60), 1_000) == 1_000) {}

    var jdbi = org.jdbi.v3.core.Jdbi.create(adapters.dataSource());
    long left =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT (SELECT count(*) FROM reservations WHERE id = :id)"
                            + " + (SELECT count(*) FROM reservation_lines"
                            + " WHERE reservation_id = :id)")
                    .bind("id", rid)
                    .mapTo(Long.class)
                    .one());
    long cost =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT cost_nanos FROM spend_log WHERE reservation_id = :id")
                    .bind("id", rid)
                    .mapTo(Long.class)
                    .one());
    assertThat(left).isZero();
    assertThat(cost).isEqualTo(120L);
    assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(120), nanos(0)));
  }

  /**
   * V128: a reserve takes no row lock on the reservation it has just inserted. Before, the foreign
   * key from reservation_lines ran a FOR KEY SHARE query per line, which left the reserving
   * transaction's id in the row's xmax (a WAL record per line, and a locker the settle's update had
   * to resolve).
   */
  @Test
  void reservingLocksNoReservationRow() {
    CounterKey team = teamDaily(id("team"), NOW);
    CounterKey user = new CounterKey(BudgetScope.user(id("user")), BudgetWindow.MONTHLY, "2026-11");
    String rid = id("res");
    assertThat(
            ledger()
                .reserve(
                    reservation(
                        rid,
                        List.of(line(user, nanos(1_000)), line(team, nanos(500))),
                        nanos(300),
                        NOW,
                        NOW.plusSeconds(60))))
        .isInstanceOf(ReserveOutcome.Reserved.class);

    var jdbi = org.jdbi.v3.core.Jdbi.create(adapters.dataSource());
    String xmax =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT xmax::text FROM reservations WHERE id = :id")
                    .bind("id", rid)
                    .mapTo(String.class)
                    .one());
    assertThat(xmax).isEqualTo("0");
  }

  @Test
  void unusedCounterReadsAsEmpty() {
    CounterKey k = teamDaily(id("team"), NOW);
    assertThat(balance(k)).isEqualTo(CounterBalance.EMPTY);
  }

  @Test
  void reservesOnEveryLineAndSettlesActualCost() {
    CounterKey team = teamDaily(id("team"), NOW);
    CounterKey user = new CounterKey(BudgetScope.user(id("user")), BudgetWindow.MONTHLY, "2026-11");
    String rid = id("res");
    ReserveOutcome outcome =
        ledger()
            .reserve(
                reservation(
                    rid,
                    List.of(line(user, nanos(1_000)), line(team, nanos(500))),
                    nanos(300),
                    NOW,
                    NOW.plusSeconds(60)));

    assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
    var r = ((ReserveOutcome.Reserved) outcome).reservation();
    assertThat(r.counters()).containsExactly(team, user); // lock order: TEAM before USER
    assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(0), nanos(300)));
    assertThat(balance(user)).isEqualTo(new CounterBalance(nanos(0), nanos(300)));

    SpendRecord done = finished(TestData.pending(rid, "t", NOW), nanos(120), NOW.plusSeconds(2));
    assertThat(ledger().settle(rid, done)).isTrue();

    assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(120), nanos(0)));
    assertThat(balance(user)).isEqualTo(new CounterBalance(nanos(120), nanos(0)));
    var rows = stores.spendLog().query(spendFor(rid)).items();
    assertThat(rows).containsExactly(done);
  }

  @Test
  void refusesWhenAnyLineLacksRoomAndHoldsNothing() {
    CounterKey team = teamDaily(id("team"), NOW);
    CounterKey key = new CounterKey(BudgetScope.key(id("key")), BudgetWindow.DAILY, "2026-11-27");
    BudgetLine keyLine = line(key, nanos(250));
    ReserveOutcome outcome =
        ledger()
            .reserve(
                reservation(
                    id("res"),
                    List.of(line(team, nanos(1_000)), keyLine),
                    nanos(300),
                    NOW,
                    NOW.plusSeconds(60)));

    assertThat(outcome).isEqualTo(new ReserveOutcome.Refused(keyLine, CounterBalance.EMPTY));
    assertThat(balance(team)).isEqualTo(CounterBalance.EMPTY);
    assertThat(balance(key)).isEqualTo(CounterBalance.EMPTY);
  }

  @Test
  void admitsUpToTheLimitExactlyAndNotOneNanoMore() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, nanos(1_000));
    assertThat(reserve(l, 600)).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(reserve(l, 400)).isInstanceOf(ReserveOutcome.Reserved.class);
    ReserveOutcome third = reserve(l, 1);
    assertThat(third)
        .isEqualTo(new ReserveOutcome.Refused(l, new CounterBalance(nanos(0), nanos(1_000))));
  }

  @Test
  void refusedOutcomeReportsCommittedAndReserved() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, nanos(1_000));
    String rid = id("res");
    ledger().reserve(reservation(rid, List.of(l), nanos(700), NOW, NOW.plusSeconds(60)));
    ledger().settle(rid, finished(TestData.pending(rid, "t", NOW), nanos(500), NOW));
    reserve(l, 300);
    assertThat(reserve(l, 201))
        .isEqualTo(new ReserveOutcome.Refused(l, new CounterBalance(nanos(500), nanos(300))));
  }

  @Test
  void aLowerLimitOnALaterRequestIsHonoured() {
    CounterKey team = teamDaily(id("team"), NOW);
    assertThat(reserve(line(team, nanos(1_000)), 600)).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(reserve(line(team, nanos(700)), 200)).isInstanceOf(ReserveOutcome.Refused.class);
    assertThat(reserve(line(team, nanos(700)), 100)).isInstanceOf(ReserveOutcome.Reserved.class);
  }

  @Test
  void anAmountAboveTheLimitIsRefusedOnANewCounter() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, nanos(10));
    assertThat(reserve(l, 11)).isEqualTo(new ReserveOutcome.Refused(l, CounterBalance.EMPTY));
    assertThat(balance(team)).isEqualTo(CounterBalance.EMPTY);
  }

  @Test
  void settlingTwiceChangesNothingTheSecondTime() {
    CounterKey team = teamDaily(id("team"), NOW);
    String rid = id("res");
    ledger()
        .reserve(
            reservation(
                rid, List.of(line(team, nanos(1_000))), nanos(300), NOW, NOW.plusSeconds(60)));
    SpendRecord done = finished(TestData.pending(rid, "t", NOW), nanos(100), NOW);

    assertThat(ledger().settle(rid, done)).isTrue();
    assertThat(ledger().settle(rid, done)).isFalse();

    assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(100), nanos(0)));
    assertThat(stores.spendLog().query(spendFor(rid)).total()).isEqualTo(1);
  }

  @Test
  void settlingAnUnknownReservationReturnsFalse() {
    assertThat(
            ledger()
                .settle(
                    "no-such-reservation",
                    finished(TestData.pending("x", "t", NOW), nanos(1), NOW)))
        .isFalse();
  }

  @Test
  void anActualCostAboveTheReservationIsChargedInFull() {
    CounterKey team = teamDaily(id("team"), NOW);
    String rid = id("res");
    ledger()
        .reserve(
            reservation(
                rid, List.of(line(team, nanos(1_000))), nanos(300), NOW, NOW.plusSeconds(60)));
    ledger().settle(rid, finished(TestData.pending(rid, "t", NOW), nanos(450), NOW));
    assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(450), nanos(0)));
  }

  @Test
  void aDuplicateReservationIdIsAConflictAndHoldsNothingTwice() {
    CounterKey team = teamDaily(id("team"), NOW);
    String rid = id("res");
    BudgetLine l = line(team, nanos(1_000));
    ledger().reserve(reservation(rid, List.of(l), nanos(100), NOW, NOW.plusSeconds(60)));
    assertThatThrownBy(
            () ->
                ledger()
                    .reserve(reservation(rid, List.of(l), nanos(100), NOW, NOW.plusSeconds(60))))
        .isInstanceOf(ConflictException.class);
    assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(0), nanos(100)));
  }

  @Test
  void expireChargesOverdueReservationsAtTheirReservedAmount() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, nanos(10_000));
    String overdue = id("res");
    String live = id("res");
    ledger().reserve(reservation(overdue, List.of(l), nanos(700), NOW, NOW.plusSeconds(30)));
    ledger().reserve(reservation(live, List.of(l), nanos(200), NOW, NOW.plusSeconds(600)));

    Instant sweepAt = NOW.plusSeconds(31);
    assertThat(ledger().expire(sweepAt)).isGreaterThanOrEqualTo(1);

    assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(700), nanos(200)));
    SpendRecord row = stores.spendLog().query(spendFor(overdue)).items().get(0);
    assertThat(row.status()).isEqualTo(SpendStatus.EXPIRED);
    assertThat(row.cost()).isEqualTo(nanos(700));
    assertThat(row.usage()).isEmpty();
    assertThat(row.endedAt()).isEqualTo(sweepAt);
    assertThat(row.latencyMillis()).isEqualTo(31_000);
    assertThat(row.teamId()).contains(team.scope().id());
    // a late settle of the expired reservation changes nothing
    assertThat(
            ledger().settle(overdue, finished(TestData.pending(overdue, "t", NOW), nanos(1), NOW)))
        .isFalse();
    assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(700), nanos(200)));
  }

  @Test
  void expireLeavesReservationsThatAreNotYetDue() {
    CounterKey team = teamDaily(id("team"), NOW);
    String rid = id("res");
    ledger()
        .reserve(
            reservation(
                rid, List.of(line(team, nanos(1_000))), nanos(10), NOW, NOW.plusSeconds(30)));
    ledger().expire(NOW.plusSeconds(29));
    assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(0), nanos(10)));
    assertThat(ledger().settle(rid, finished(TestData.pending(rid, "t", NOW), nanos(5), NOW)))
        .isTrue();
  }

  @Test
  void manyThreadsNeverOvershootTheLimit() throws Exception {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, nanos(10_000));
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        results.add(pool.submit(() -> reserve(l, 100) instanceof ReserveOutcome.Reserved));
      }
      long admitted = 0;
      for (Future<Boolean> f : results) {
        admitted += f.get() ? 1 : 0;
      }
      assertThat(admitted).isEqualTo(100);
      assertThat(balance(team)).isEqualTo(new CounterBalance(nanos(0), nanos(10_000)));
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void reservationsWithNoLinesAreHeldAndSettledToo() {
    String rid = id("res");
    ReserveOutcome o =
        ledger()
            .reserve(reservation(rid, List.of(), nanos(5), NOW, NOW.plus(Duration.ofMinutes(1))));
    assertThat(o).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(ledger().settle(rid, finished(TestData.pending(rid, "t", NOW), nanos(5), NOW)))
        .isTrue();
    assertThat(stores.spendLog().query(spendFor(rid)).total()).isEqualTo(1);
  }

  private ReserveOutcome reserve(BudgetLine l, long amount) {
    ReservationRequest req =
        reservation(id("res"), List.of(l), nanos(amount), NOW, NOW.plusSeconds(60));
    return ledger().reserve(req);
  }

  private static SpendQuery spendFor(String requestId) {
    return SpendQuery.builder(PageRequest.first(10)).requestId(requestId).build();
  }

  @Test
  void overlappingMultiLineReservationsGivenInAnyOrderNeverDeadlock() throws Exception {
    CounterKey team = teamDaily(id("team"), NOW);
    CounterKey user =
        new CounterKey(BudgetScope.user(id("user")), BudgetWindow.DAILY, "2026-11-27");
    CounterKey key = new CounterKey(BudgetScope.key(id("key")), BudgetWindow.MONTHLY, "2026-11");
    List<BudgetLine> forward =
        List.of(
            line(team, nanos(1_000_000)),
            line(user, nanos(1_000_000)),
            line(key, nanos(1_000_000)));
    List<BudgetLine> backward = List.of(forward.get(2), forward.get(1), forward.get(0));
    ExecutorService pool = Executors.newFixedThreadPool(12);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < 120; i++) {
        List<BudgetLine> lines = i % 2 == 0 ? forward : backward;
        results.add(
            pool.submit(
                () -> {
                  String rid = id("res");
                  ReserveOutcome o =
                      ledger()
                          .reserve(reservation(rid, lines, nanos(100), NOW, NOW.plusSeconds(60)));
                  return o instanceof ReserveOutcome.Reserved
                      && ledger()
                          .settle(rid, finished(TestData.pending(rid, "t", NOW), nanos(40), NOW));
                }));
      }
      for (Future<Boolean> f : results) {
        assertThat(f.get()).isTrue(); // a deadlock would surface as StorageUnavailableException
      }
    } finally {
      pool.shutdownNow();
    }
    for (CounterKey k : List.of(team, user, key)) {
      assertThat(balance(k)).isEqualTo(new CounterBalance(nanos(120 * 40), nanos(0)));
    }
  }
}

package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.finished;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.money.Money;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * ledger_reserve_batch (V103, V132, V135): several reserves in one statement, each as a lone one
 * would be.
 */
class PostgresReserveBatchTest extends PostgresTestBase {

  private PostgresBudgetLedger ledger() {
    return (PostgresBudgetLedger) stores.ledger();
  }

  private CounterBalance balance(CounterKey k) {
    return ledger().balances(List.of(k)).get(k);
  }

  private static ReservationRequest request(String rid, long amount, BudgetLine... lines) {
    return reservation(rid, List.of(lines), Money.ofNanos(amount), NOW, NOW.plusSeconds(60));
  }

  @Test
  void requestsAreDecidedInOrderEachSeeingTheOnesBeforeIt() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, Money.ofNanos(1_000));

    List<ReserveOutcome> outcomes =
        ledger()
            .reserveAll(
                List.of(
                    request(id("a"), 600, l), request(id("b"), 600, l), request(id("c"), 400, l)));

    assertThat(outcomes.get(0)).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(outcomes.get(1))
        .isEqualTo(
            new ReserveOutcome.Refused(l, new CounterBalance(Money.ZERO, Money.ofNanos(600))));
    assertThat(outcomes.get(2)).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(1_000)));
  }

  @Test
  void aRefusedRequestHoldsNothingOnAnyOfItsLines() {
    CounterKey team = teamDaily(id("team"), NOW);
    CounterKey user = new CounterKey(BudgetScope.user(id("user")), BudgetWindow.MONTHLY, "2026-11");
    BudgetLine roomy = line(team, Money.ofNanos(1_000_000));
    BudgetLine tight = line(user, Money.ofNanos(100));

    List<ReserveOutcome> outcomes =
        ledger()
            .reserveAll(
                List.of(request(id("a"), 90, roomy, tight), request(id("b"), 20, roomy, tight)));

    assertThat(outcomes.get(0)).isInstanceOf(ReserveOutcome.Reserved.class);
    // Lines in lock order: TEAM (1) then USER (2); the user's line is the one without room.
    assertThat(outcomes.get(1))
        .isEqualTo(
            new ReserveOutcome.Refused(tight, new CounterBalance(Money.ZERO, Money.ofNanos(90))));
    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(90)));
    assertThat(balance(user)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(90)));
  }

  @Test
  void batchReservationsSettleLikeAnyOther() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, Money.ofNanos(1_000));
    String a = id("a");
    String b = id("b");
    ledger().reserveAll(List.of(request(a, 300, l), request(b, 300, l)));

    assertThat(
            ledger()
                .settle(
                    a,
                    finished(TestData.pending(a, team.scope().id(), NOW), Money.ofNanos(10), NOW)))
        .isTrue();
    assertThat(ledger().expire(NOW.plusSeconds(61))).isPositive(); // b, and other tests' leftovers

    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ofNanos(310), Money.ZERO));
  }

  @Test
  void aBatchWithAnIdAlreadyTakenFailsWholeAndHoldsNothing() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, Money.ofNanos(1_000));
    String taken = id("taken");
    ledger().reserve(request(taken, 100, l));

    assertThatThrownBy(
            () -> ledger().reserveAll(List.of(request(id("new"), 100, l), request(taken, 100, l))))
        .isInstanceOf(ConflictException.class);
    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(100)));
  }

  @Test
  void batchedSettlesCommitWithoutWaitingForTheWalFlushButOnlyTheirOwnTransaction()
      throws Exception {
    assertThat(synchronousCommitDuringAndAfter("SELECT ledger_write_batch('[]'::jsonb, false)"))
        .containsExactly("off", "on");
    assertThat(synchronousCommitDuringAndAfter("SELECT ledger_write_batch('[]'::jsonb, true)"))
        .containsExactly("on", "on");
  }

  /**
   * The batch reaches PostgreSQL as columns (V135), not as JSON: with the JSON function out of the
   * way a batch still reserves, and stores the same reservation and lines a lone reserve stores.
   */
  @Test
  void aBatchOfReservesNeedsNoJsonAndStoresWhatALoneReserveStores() throws SQLException {
    CounterKey team = teamDaily(id("team"), NOW);
    CounterKey user =
        new CounterKey(
            BudgetScope.user(id("user")),
            BudgetWindow.MONTHLY,
            BudgetWindow.MONTHLY.periodAt(NOW, ZoneOffset.UTC).key());
    BudgetLine t = line(team, Money.ofNanos(1_000_000));
    BudgetLine u = line(user, Money.ofNanos(1_000_000));
    String batched = id("batched");
    String lone = id("lone");
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER FUNCTION ledger_reserve_batch(jsonb) RENAME TO ledger_reserve_batch_x");
      try {
        assertThat(
                ledger()
                    .reserveAll(List.of(request(batched, 250, u, t), request(id("other"), 5, t))))
            .allMatch(o -> o instanceof ReserveOutcome.Reserved);
      } finally {
        s.execute("ALTER FUNCTION ledger_reserve_batch_x(jsonb) RENAME TO ledger_reserve_batch");
      }
      ledger().reserve(request(lone, 250, u, t));

      assertThat(stored(s, batched).replace(batched, "ID"))
          .isEqualTo(stored(s, lone).replace(lone, "ID"));
    }
    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(505)));
  }

  /** A reservation's row and its lines, as text. */
  private static String stored(Statement s, String id) throws SQLException {
    return SpendSql.one(
        s,
        "SELECT row(r.amount_nanos, r.state, r.created_at, r.expires_at, r.settled_at, r.pending,"
            + " r.drawn_nanos, (SELECT array_agg(row(l.scope_kind, l.scope_id, l.time_window,"
            + " l.period)::text ORDER BY l.scope_kind, l.scope_id) FROM reservation_lines l"
            + " WHERE l.reservation_id = r.id))::text FROM reservations r WHERE r.id = '"
            + id
            + "'");
  }

  /**
   * Random batches against the same reserves made one after another (ledger_reserve): the same
   * requests admitted, the same refusals (line and balance), the same counters after. V132 decides
   * a batch in memory after one locking statement; this holds it to the lone reserve's rules.
   */
  @Test
  void aBatchDecidesAsTheSameReservesOneAfterAnotherWould() {
    Random random = new Random(14);
    for (int trial = 0; trial < 40; trial++) {
      String run = id("t" + trial);
      int n = 1 + random.nextInt(12);
      long[] amounts = new long[n];
      int[] teams = new int[n];
      int[] users = new int[n];
      for (int i = 0; i < n; i++) {
        amounts[i] = 100 + random.nextInt(1_400);
        teams[i] = random.nextInt(2);
        users[i] = random.nextInt(4) - 1; // -1: a team line only
      }
      long[] teamLimits = {1_000 + random.nextInt(4_000), 1_000 + random.nextInt(4_000)};
      long[] userLimits = new long[4];
      for (int u = 0; u < 4; u++) {
        userLimits[u] = 300 + random.nextInt(2_000);
      }
      Map<String, List<ReservationRequest>> sides = new TreeMap<>();
      for (String side : List.of("batch", "single")) {
        List<ReservationRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          List<BudgetLine> lines = new ArrayList<>();
          lines.add(
              line(
                  teamDaily(run + side + "-team" + teams[i], NOW),
                  Money.ofNanos(teamLimits[teams[i]])));
          if (users[i] >= 0) {
            lines.add(
                line(
                    new CounterKey(
                        BudgetScope.user(run + side + "-user" + users[i]),
                        BudgetWindow.MONTHLY,
                        BudgetWindow.MONTHLY.periodAt(NOW, ZoneOffset.UTC).key()),
                    Money.ofNanos(userLimits[users[i]])));
          }
          requests.add(request(id(side + i), amounts[i], lines.toArray(BudgetLine[]::new)));
        }
        sides.put(side, requests);
      }
      List<ReserveOutcome> batched = ledger().reserveAll(sides.get("batch"));
      List<ReserveOutcome> single = sides.get("single").stream().map(ledger()::reserve).toList();
      assertThat(described(batched, sides.get("batch"), run + "batch"))
          .as("trial %d", trial)
          .isEqualTo(described(single, sides.get("single"), run + "single"));
    }
  }

  /**
   * As above on every kind of line (team daily, user monthly, key daily; each present or not, at
   * least one), amounts up to above a line's whole limit: the lone reserve (V137, which works out
   * its refused line only when a line did not move) refuses as the batch does, on the same line.
   */
  @Test
  void aBatchDecidesAsLoneReservesOnEveryKindOfLine() {
    Random random = new Random(137);
    BudgetWindow[] windows = {BudgetWindow.DAILY, BudgetWindow.MONTHLY, BudgetWindow.DAILY};
    for (int trial = 0; trial < 40; trial++) {
      String run = id("k" + trial);
      int n = 1 + random.nextInt(10);
      long[] amounts = new long[n];
      int[][] picks = new int[n][3]; // per request and kind: which of two scopes, or -1 (no line)
      for (int i = 0; i < n; i++) {
        amounts[i] = random.nextInt(2_500);
        int first = random.nextInt(3);
        for (int k = 0; k < 3; k++) {
          picks[i][k] = k == first || random.nextBoolean() ? random.nextInt(2) : -1;
        }
      }
      long[][] limits = new long[3][2];
      for (long[] l : limits) {
        l[0] = random.nextInt(4_000);
        l[1] = random.nextInt(4_000);
      }
      Map<String, List<ReservationRequest>> sides = new TreeMap<>();
      for (String side : List.of("batch", "single")) {
        List<ReservationRequest> requests = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          List<BudgetLine> lines = new ArrayList<>();
          for (int k = 0; k < 3; k++) {
            if (picks[i][k] >= 0) {
              String sid = run + side + "-" + k + "-" + picks[i][k];
              BudgetScope scope =
                  switch (k) {
                    case 0 -> BudgetScope.team(sid);
                    case 1 -> BudgetScope.user(sid);
                    default -> BudgetScope.key(sid);
                  };
              CounterKey key =
                  new CounterKey(scope, windows[k], windows[k].periodAt(NOW, ZoneOffset.UTC).key());
              lines.add(line(key, Money.ofNanos(limits[k][picks[i][k]])));
            }
          }
          Collections.shuffle(lines, new Random(trial * 100L + i)); // the same on both sides
          requests.add(request(id(side + i), amounts[i], lines.toArray(BudgetLine[]::new)));
        }
        sides.put(side, requests);
      }
      List<ReserveOutcome> batched = ledger().reserveAll(sides.get("batch"));
      List<ReserveOutcome> single = sides.get("single").stream().map(ledger()::reserve).toList();
      assertThat(described(batched, sides.get("batch"), run + "batch"))
          .as("trial %d", trial)
          .isEqualTo(described(single, sides.get("single"), run + "single"));
    }
  }

  /** Each outcome, and then each counter's balance, with the side's prefix taken out of ids. */
  private String described(
      List<ReserveOutcome> outcomes, List<ReservationRequest> requests, String prefix) {
    StringBuilder b = new StringBuilder();
    Set<CounterKey> counters = new LinkedHashSet<>();
    for (int i = 0; i < outcomes.size(); i++) {
      requests.get(i).lines().forEach(l -> counters.add(l.counter()));
      b.append(
          switch (outcomes.get(i)) {
            case ReserveOutcome.Refused r -> "refused " + r.line().counter() + " " + r.balance();
            case ReserveOutcome.Reserved r -> "reserved";
          });
      b.append('\n');
    }
    for (CounterKey k : counters) {
      b.append(k).append(' ').append(balance(k)).append('\n');
    }
    return b.toString().replace(prefix, "");
  }
}

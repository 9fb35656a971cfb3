package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.one;
import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * ledger_draw (V134), which writes batches of budget-lease draws from columns: the same spend rows,
 * lease amounts, counters and return values as ledger_write_batch's draws for the same batch, and a
 * batch of draws needs nothing else (before V134 it went to ledger_write_batch as JSON).
 */
class PostgresDrawColumnsTest extends PostgresTestBase {

  private PostgresBudgetLedger ledger() {
    return (PostgresBudgetLedger) stores.ledger();
  }

  /** A world of two leases on a team and two user counters of their own. */
  private record World(String team, List<String> users, List<String> leases) {
    List<CounterKey> counters() {
      List<CounterKey> keys = new ArrayList<>(List.of(teamDaily(team, NOW)));
      users.forEach(u -> keys.add(userDaily(u)));
      return keys;
    }
  }

  private static CounterKey userDaily(String user) {
    return new CounterKey(
        BudgetScope.user(user),
        BudgetWindow.DAILY,
        BudgetWindow.DAILY.periodAt(NOW, java.time.ZoneOffset.UTC).key());
  }

  private World leases() {
    String team = id("team");
    List<String> users = List.of(id("ua"), id("ub"));
    List<String> leases = new ArrayList<>();
    long[] amounts = {5_000, 1_000};
    for (int i = 0; i < 2; i++) {
      String lease = id("lease");
      List<BudgetLine> lines =
          List.of(
              line(teamDaily(team, NOW), Money.ofNanos(100_000)),
              line(userDaily(users.get(i)), Money.ofNanos(100_000)));
      ledger()
          .reserve(reservation(lease, lines, Money.ofNanos(amounts[i]), NOW, NOW.plusSeconds(60)));
      leases.add(lease);
    }
    return new World(team, users, leases);
  }

  /**
   * Four draws: on the first lease a success with reported usage and an error without usage; on the
   * second, one success, then one that takes it past its amount (it stops at zero).
   */
  private static List<Settlement> draws(World w) {
    List<Settlement> draws = new ArrayList<>();
    Object[][] specs = {
      {0, 420L, SpendStatus.SUCCESS, new TokenUsage(100, 20, 5, 3, TokenUsage.Source.REPORTED)},
      {0, 0L, SpendStatus.ERROR, null},
      {1, 700L, SpendStatus.SUCCESS, TokenUsage.estimated(7, 0)},
      {1, 600L, SpendStatus.CANCELLED, TokenUsage.estimated(9, 4)}
    };
    for (Object[] spec : specs) {
      String charge = id("c" + draws.size());
      SpendRecord pending = TestData.pending(charge, w.team(), NOW);
      SpendRecord done =
          pending.finish(
              Optional.ofNullable((TokenUsage) spec[3]),
              Money.ofNanos((long) spec[1]),
              (SpendStatus) spec[2],
              spec[2] == SpendStatus.ERROR ? Optional.of("upstream_error") : Optional.empty(),
              NOW.plusMillis(100L * draws.size()));
      draws.add(new Settlement.Draw(w.leases().get((int) spec[0]), charge, done));
    }
    return draws;
  }

  /** What a batch left behind: spend rows, lease rows and counters, ids made relative. */
  private List<String> state(World w, List<Settlement> batch) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection c = adapters.dataSource().getConnection();
        PreparedStatement spend =
            c.prepareStatement(
                "SELECT * FROM spend_log WHERE reservation_id = ANY(?) ORDER BY ended_at");
        PreparedStatement leases =
            c.prepareStatement(
                "SELECT amount_nanos, drawn_nanos, state FROM reservations WHERE id = ANY(?)"
                    + " ORDER BY amount_nanos")) {
      spend.setArray(
          1,
          c.createArrayOf(
              "text",
              batch.stream().map(s -> ((Settlement.Draw) s).chargeId()).toArray(String[]::new)));
      try (ResultSet rs = spend.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder b = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            String col = rs.getMetaData().getColumnName(i);
            if (!col.equals("id") && !col.equals("txid")) {
              b.append(col).append('=').append(rs.getObject(i)).append(';');
            }
          }
          rows.add(relative(b.toString(), w));
        }
      }
      leases.setArray(1, c.createArrayOf("text", w.leases().toArray(String[]::new)));
      try (ResultSet rs = leases.executeQuery()) {
        while (rs.next()) {
          rows.add("lease " + rs.getLong(1) + " drawn " + rs.getLong(2) + " " + rs.getString(3));
        }
      }
    }
    var balances = ledger().balances(w.counters());
    w.counters().forEach(k -> rows.add(relative(k.scope().id(), w) + " " + balances.get(k)));
    return rows;
  }

  private static String relative(String s, World w) {
    String out = s.replace(w.team(), "TEAM");
    for (int i = 0; i < 2; i++) {
      out = out.replace(w.users().get(i), "USER" + i).replace(w.leases().get(i), "LEASE" + i);
    }
    return out.replaceAll("c[0-9]_[0-9a-f]{8}", "CHARGE");
  }

  @Test
  void drawsWriteWhatTheJsonPathWritesAndEachChargeOnce() throws SQLException {
    World a = leases();
    World b = leases();
    List<Settlement> viaJson = draws(a);
    List<Settlement> viaColumns = draws(b);

    assertThat(writeBatchAsJson(viaJson)).isEqualTo(4);
    assertThat(ledger().settleAll(viaColumns)).isEqualTo(4);

    List<String> written = state(b, viaColumns);
    assertThat(written).isEqualTo(state(a, viaJson)).hasSize(4 + 2 + 3);
    // the first lease drew 420 of 5,000; the second 1,300 of 1,000 (it stops at zero)
    assertThat(written)
        .contains(
            "lease 0 drawn 1300 held",
            "lease 4580 drawn 420 held",
            "TEAM " + new CounterBalance(Money.ofNanos(1_720), Money.ofNanos(4_580)),
            "USER0 " + new CounterBalance(Money.ofNanos(420), Money.ofNanos(4_580)),
            "USER1 " + new CounterBalance(Money.ofNanos(1_300), Money.ZERO));

    // A repeated batch (a retry after a lost answer) writes nothing more.
    assertThat(ledger().settleAll(viaColumns)).isZero();
    assertThat(state(b, viaColumns)).isEqualTo(written);
  }

  @Test
  void drawsOnALeaseNoLongerHeldWriteNothing() throws SQLException {
    World w = leases();
    assertThat(ledger().release(w.leases().get(1), Money.ZERO)).isTrue();

    List<Settlement> draws = draws(w);
    assertThat(ledger().settleAll(draws)).isEqualTo(2); // the first lease's two
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      String second =
          "'"
              + ((Settlement.Draw) draws.get(2)).chargeId()
              + "', '"
              + ((Settlement.Draw) draws.get(3)).chargeId()
              + "'";
      assertThat(one(s, "SELECT count(*) FROM spend_log WHERE reservation_id IN (" + second + ")"))
          .isEqualTo("0");
    }
  }

  @Test
  void aBatchOfDrawsNeedsNoJson() throws SQLException {
    World w = leases();
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute("ALTER FUNCTION ledger_write_batch(jsonb, boolean) RENAME TO ledger_write_batch_x");
      try {
        assertThat(ledger().settleAll(draws(w))).isEqualTo(4);
      } finally {
        s.execute(
            "ALTER FUNCTION ledger_write_batch_x(jsonb, boolean) RENAME TO ledger_write_batch");
      }
    }
  }
}

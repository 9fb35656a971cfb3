package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.one;
import static io.llmgateway.postgres.TestData.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * What the ledger migrations' upgrade tests (V128, V129) do on both sides of an upgrade: a reserve
 * on a team line of 1000 and a user line of 700, the refusal of one that does not fit, and the
 * settle of the reservation held before the upgrade.
 */
final class LedgerUpgrade {
  private LedgerUpgrade() {}

  /**
   * Reserves {@code amount} nanos as reservation {@code id} on the lines t1 (1000) and u1 (700).
   */
  static void reserve(Statement s, String id, long amount) throws SQLException {
    reserve(s, id, amount, "t1", "u1");
  }

  /**
   * As {@link #reserve(Statement, String, long)}, on the lines of {@code team} and {@code user}.
   */
  static void reserve(Statement s, String id, long amount, String team, String user)
      throws SQLException {
    s.execute(
        ("SELECT ledger_reserve('%s', %d, timestamptz '2026-11-27T10:15:30Z',"
                + " timestamptz '2026-11-27T10:16:30Z', '{\"requestId\": \"req-%s\", \"keyId\":"
                + " \"k\", \"model\": \"m\", \"startedAt\": \"2026-11-27T10:15:30Z\"}',"
                + " '{TEAM,USER}', '{%s,%s}', '{DAILY,MONTHLY}', '{2026-11-27@UTC,2026-11@UTC}',"
                + " '{1000,700}', '{2026-11-28T00:00:00Z,2026-12-01T00:00:00Z}')")
            .formatted(id, amount, id, team, user));
  }

  /**
   * With 300 of the user's 700 held by "old-1" and 300 by "new-1": a reserve of 350 has room on the
   * team line, not on the user's; the refusal names that line as given (2) and its balance.
   */
  static void refusesTheUserLine(Statement s) {
    try {
      reserve(s, "new-2", 350);
      throw new AssertionError("reserve of 350 was not refused");
    } catch (SQLException e) {
      assertThat(e.getSQLState()).isEqualTo(PostgresBudgetLedger.REFUSED);
      assertThat(e.getMessage()).contains("2:0:600");
    }
  }

  /** "old-1", held before the upgrade, settles once at a cost of 120 into both its counters. */
  static void settlesTheOldReservationOnce(PostgresAdapters adapters, Statement s)
      throws SQLException {
    var old = TestData.finished(TestData.pending("req-old-1", "t1", NOW), Money.ofNanos(120), NOW);
    var settle = new Settlement.Settle("old-1", old);
    assertThat(adapters.stores().ledger().settleAll(List.of(settle))).isEqualTo(1);
    assertThat(adapters.stores().ledger().settleAll(List.of(settle))).isZero(); // once only
    assertThat(counters(s)).isEqualTo("TEAM:120:300,USER:120:300");
    assertThat(one(s, "SELECT sum(cost_nanos) FROM spend_log WHERE reservation_id = 'old-1'"))
        .isEqualTo("120");
  }

  /** "KIND:committed:reserved" of the two counters, team first. */
  static String counters(Statement s) throws SQLException {
    return one(
        s,
        "SELECT string_agg(scope_kind || ':' || committed_nanos || ':' || reserved_nanos, ','"
            + " ORDER BY scope_kind) FROM budget_counters WHERE scope_id IN ('t1', 'u1')");
  }
}

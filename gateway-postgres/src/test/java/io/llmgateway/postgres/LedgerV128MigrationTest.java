package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.databaseAt;
import static io.llmgateway.postgres.SpendSql.one;
import static io.llmgateway.postgres.TestData.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * V128 on a database with reservations held under V127's functions: the foreign key from
 * reservation_lines goes, a reservation held before the upgrade is settled once by the new
 * ledger_settle (its counters moved by its lines), refused and reserved by the new ledger_reserve
 * as before, and purged with its lines.
 */
class LedgerV128MigrationTest {

  @Test
  void reservationsHeldBeforeTheUpgradeSettleOnceAndPurgeWithTheirLines() throws SQLException {
    DatabaseConfig config = databaseAt("127");
    String reserve =
        "SELECT ledger_reserve('%s', %d, timestamptz '2026-11-27T10:15:30Z',"
            + " timestamptz '2026-11-27T10:16:30Z', '{\"requestId\": \"%s\", \"keyId\": \"k\","
            + " \"model\": \"m\", \"startedAt\": \"2026-11-27T10:15:30Z\"}',"
            + " '{TEAM,USER}', '{t1,u1}', '{DAILY,MONTHLY}', '{2026-11-27@UTC,2026-11@UTC}',"
            + " '{1000,700}', '{2026-11-28T00:00:00Z,2026-12-01T00:00:00Z}')";
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute(reserve.formatted("old-1", 300, "req-old-1"));
    }

    try (PostgresAdapters adapters = PostgresAdapters.start(config);
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      assertThat(
              one(
                  s,
                  "SELECT count(*) FROM pg_constraint"
                      + " WHERE conrelid = 'reservation_lines'::regclass AND contype = 'f'"))
          .isEqualTo("0");
      // The new reserve on the same counters: the user's monthly line (700) has room for 300 more,
      // not for 350 (the team line has); the refusal names that line as given (2) and its balance.
      s.execute(reserve.formatted("new-1", 300, "req-new-1"));
      assertThat(counters(s)).isEqualTo("TEAM:0:600,USER:0:600");
      try {
        s.execute(reserve.formatted("new-2", 350, "req-new-2"));
        throw new AssertionError("reserve of 350 was not refused");
      } catch (SQLException e) {
        assertThat(e.getSQLState()).isEqualTo(PostgresBudgetLedger.REFUSED);
        assertThat(e.getMessage()).contains("2:0:600");
      }
      assertThat(one(s, "SELECT count(*) FROM reservations WHERE id = 'new-2'")).isEqualTo("0");
      assertThat(counters(s)).isEqualTo("TEAM:0:600,USER:0:600");

      var old =
          TestData.finished(TestData.pending("req-old-1", "t1", NOW), Money.ofNanos(120), NOW);
      var settle = new Settlement.Settle("old-1", old);
      assertThat(adapters.stores().ledger().settleAll(List.of(settle))).isEqualTo(1);
      assertThat(adapters.stores().ledger().settleAll(List.of(settle))).isZero(); // once only
      assertThat(counters(s)).isEqualTo("TEAM:120:300,USER:120:300");
      assertThat(one(s, "SELECT sum(cost_nanos) FROM spend_log WHERE reservation_id = 'old-1'"))
          .isEqualTo("120");

      assertThat(adapters.stores().ledger().purgeEnded(NOW.plusSeconds(3600), 100)).isEqualTo(1);
      assertThat(
              one(
                  s,
                  "SELECT (SELECT count(*) FROM reservations WHERE id = 'old-1')"
                      + " + (SELECT count(*) FROM reservation_lines WHERE reservation_id = 'old-1')"))
          .isEqualTo("0");
      assertThat(one(s, "SELECT count(*) FROM reservation_lines WHERE reservation_id = 'new-1'"))
          .isEqualTo("2");
    }
  }

  private static String counters(Statement s) throws SQLException {
    return one(
        s,
        "SELECT string_agg(scope_kind || ':' || committed_nanos || ':' || reserved_nanos, ','"
            + " ORDER BY scope_kind) FROM budget_counters WHERE scope_id IN ('t1', 'u1')");
  }
}

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
 * V129 on a V128 database holding a reservation and its counters: the columns become domains
 * without rewriting the tables or their indexes (same relfilenodes), the alert trigger is back with
 * the same WHEN clause, the held reservation settles once and the reserve still refuses.
 */
class LedgerV129MigrationTest {
  private static final String FILES =
      "SELECT string_agg(c.relname || '=' || c.relfilenode, ',' ORDER BY c.relname) FROM pg_class c"
          + " WHERE c.relname IN ('budget_counters', 'budget_counters_pkey', 'reservations',"
          + " 'reservations_pkey')";

  private static final String WHEN =
      // the same clause; deparsed, the domain columns come with casts and parentheses
      "SELECT regexp_replace(pg_get_triggerdef(oid), '::bigint|[()]', '', 'g') FROM pg_trigger"
          + " WHERE tgname = 'budget_counters_alert'";

  @Test
  void columnsBecomeDomainsInPlaceAndTheHeldReservationSettles() throws SQLException {
    DatabaseConfig config = databaseAt("128");
    String reserve =
        "SELECT ledger_reserve('%s', %d, timestamptz '2026-11-27T10:15:30Z',"
            + " timestamptz '2026-11-27T10:16:30Z', '{\"requestId\": \"%s\", \"keyId\": \"k\","
            + " \"model\": \"m\", \"startedAt\": \"2026-11-27T10:15:30Z\"}',"
            + " '{TEAM,USER}', '{t1,u1}', '{DAILY,MONTHLY}', '{2026-11-27@UTC,2026-11@UTC}',"
            + " '{1000,700}', '{2026-11-28T00:00:00Z,2026-12-01T00:00:00Z}')";
    String files;
    String when;
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute(reserve.formatted("old-1", 300, "req-old-1"));
      files = one(s, FILES);
      when = one(s, WHEN);
    }

    try (PostgresAdapters adapters = PostgresAdapters.start(config);
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      assertThat(one(s, FILES)).isEqualTo(files); // no rewrite, no index rebuilt
      assertThat(one(s, WHEN)).isEqualTo(when);
      assertThat(
              one(
                  s,
                  "SELECT format_type(atttypid, atttypmod) FROM pg_attribute"
                      + " WHERE attrelid = 'budget_counters'::regclass"
                      + " AND attname = 'reserved_nanos'"))
          .isEqualTo("ledger_nanos");
      assertThat(
              one(
                  s,
                  "SELECT bool_and(convalidated) AND count(*) = 6 FROM pg_constraint"
                      + " WHERE contypid <> 0 AND conname LIKE 'ledger_%_check'"))
          .isEqualTo("t");

      // user's monthly line (700): room for 300 more, not for 350; line 2 reported as before
      s.execute(reserve.formatted("new-1", 300, "req-new-1"));
      try {
        s.execute(reserve.formatted("new-2", 350, "req-new-2"));
        throw new AssertionError("reserve of 350 was not refused");
      } catch (SQLException e) {
        assertThat(e.getSQLState()).isEqualTo(PostgresBudgetLedger.REFUSED);
        assertThat(e.getMessage()).contains("2:0:600");
      }
      assertThat(counters(s)).isEqualTo("TEAM:0:600,USER:0:600");

      var old =
          TestData.finished(TestData.pending("req-old-1", "t1", NOW), Money.ofNanos(120), NOW);
      var settle = new Settlement.Settle("old-1", old);
      assertThat(adapters.stores().ledger().settleAll(List.of(settle))).isEqualTo(1);
      assertThat(adapters.stores().ledger().settleAll(List.of(settle))).isZero(); // once only
      assertThat(counters(s)).isEqualTo("TEAM:120:300,USER:120:300");
      assertThat(one(s, "SELECT sum(cost_nanos) FROM spend_log WHERE reservation_id = 'old-1'"))
          .isEqualTo("120");
    }
  }

  private static String counters(Statement s) throws SQLException {
    return one(
        s,
        "SELECT string_agg(scope_kind || ':' || committed_nanos || ':' || reserved_nanos, ','"
            + " ORDER BY scope_kind) FROM budget_counters WHERE scope_id IN ('t1', 'u1')");
  }
}

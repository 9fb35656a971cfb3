package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.databaseAt;
import static io.llmgateway.postgres.SpendSql.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
    String files;
    String when;
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      LedgerUpgrade.reserve(s, "old-1", 300);
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
      LedgerUpgrade.reserve(s, "new-1", 300);
      LedgerUpgrade.refusesTheUserLine(s);
      assertThat(LedgerUpgrade.counters(s)).isEqualTo("TEAM:0:600,USER:0:600");

      LedgerUpgrade.settlesTheOldReservationOnce(adapters, s);
    }
  }
}

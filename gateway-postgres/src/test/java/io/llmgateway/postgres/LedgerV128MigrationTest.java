package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.databaseAt;
import static io.llmgateway.postgres.SpendSql.one;
import static io.llmgateway.postgres.TestData.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
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
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      LedgerUpgrade.reserve(s, "old-1", 300);
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
      LedgerUpgrade.reserve(s, "new-1", 300);
      assertThat(LedgerUpgrade.counters(s)).isEqualTo("TEAM:0:600,USER:0:600");
      LedgerUpgrade.refusesTheUserLine(s);
      assertThat(one(s, "SELECT count(*) FROM reservations WHERE id = 'new-2'")).isEqualTo("0");
      assertThat(LedgerUpgrade.counters(s)).isEqualTo("TEAM:0:600,USER:0:600");

      LedgerUpgrade.settlesTheOldReservationOnce(adapters, s);

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
}

package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendLogMigrationTest.partition;
import static io.llmgateway.postgres.SpendLogMigrationTest.partitions;
import static io.llmgateway.postgres.SpendSql.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Partitions created ahead and dropped by retention (V123). Each test runs on its own database and
 * moves its "now" years ahead of the real clock, so the partitions the migration made for the real
 * month are simply old ones.
 */
class SpendLogPartitionsTest extends PostgresTestBase {

  @Test
  void partitionsAreCreatedAheadAndRowsTheDefaultHeldMoveIntoThem() throws SQLException {
    SpendLogMaintenance m = adapters.spendLogMaintenance(Optional.empty());
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      assertThat(m.ensurePartitions(Instant.parse("2031-03-15T00:00:00Z"))).isEqualTo(3);
      assertThat(partitions(s))
          .contains("spend_log_p203103", "spend_log_p203104", "spend_log_p203105");
      assertThat(m.ensurePartitions(Instant.parse("2031-03-31T23:59:59Z"))).isZero();

      // A row for a month nobody created goes to the default partition (a settle never fails)...
      insert(s, "late", "2031-07-01T00:00:00Z");
      assertThat(one(s, "SELECT count(*) FROM spend_log_default")).isEqualTo("1");
      // ...and moves into its month's partition when that is created.
      assertThat(m.ensurePartitions(Instant.parse("2031-06-30T23:00:00Z"))).isEqualTo(3);
      assertThat(one(s, "SELECT count(*) FROM spend_log_default")).isEqualTo("0");
      assertThat(one(s, "SELECT request_id FROM spend_log_p203107")).isEqualTo("late");
      // The month boundary is UTC midnight.
      insert(s, "june", "2031-06-30T23:59:59.999999Z");
      assertThat(one(s, "SELECT count(*) FROM spend_log_p203106")).isEqualTo("1");
    }
  }

  @Test
  void retentionDropsWholeOldMonthsOnceRolledUpAndNeverTheCurrentOne() throws SQLException {
    SpendLogMaintenance keepAll = adapters.spendLogMaintenance(Optional.empty());
    SpendLogMaintenance keepOne = adapters.spendLogMaintenance(Optional.of(1));
    SpendLogMaintenance keepNone = adapters.spendLogMaintenance(Optional.of(0));
    Instant now = Instant.parse("2040-03-10T12:00:00Z");
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      keepAll.ensurePartitions(Instant.parse("2040-01-01T00:00:00Z"));
      keepAll.ensurePartitions(now);
      insert(s, "jan", "2040-01-31T23:59:59Z");
      insert(s, "feb", "2040-02-01T00:00:00Z");
      insert(s, "mar", "2040-03-01T00:00:00Z");
      keepAll.rollUp();
      String real = partition(YearMonth.now(ZoneOffset.UTC));

      // No retention: nothing goes.
      assertThat(keepAll.dropExpired(now)).isEmpty();
      // One month kept before March: January and everything older go, February stays.
      assertThat(keepOne.dropExpired(now)).contains("spend_log_p204001", real);
      assertThat(partitions(s))
          .contains("spend_log_p204002", "spend_log_p204003")
          .doesNotContain("spend_log_p204001", real);
      assertThat(one(s, "SELECT string_agg(request_id, ',' ORDER BY request_id) FROM spend_log"))
          .isEqualTo("feb,mar");

      // A row of February not yet rolled up keeps its partition until the rollup has it.
      insert(s, "feb-late", "2040-02-20T00:00:00Z");
      assertThat(keepNone.dropExpired(now)).isEmpty();
      keepNone.rollUp();
      assertThat(keepNone.dropExpired(now)).containsExactly("spend_log_p204002");
      // Retention 0 still keeps the current month (and the ones ahead).
      assertThat(partitions(s)).contains("spend_log_p204003", "spend_log_p204004");
      assertThat(keepNone.dropExpired(Instant.parse("2040-03-31T23:59:59Z"))).isEmpty();

      // The rollups outlive the rows: January's and February's spend is still reported.
      assertThat(
              one(
                  s,
                  "SELECT string_agg(day || '=' || requests, ',' ORDER BY day) FROM spend_daily"
                      + " WHERE day >= '2040-01-01'"))
          .isEqualTo("2040-01-31=1,2040-02-01=1,2040-02-20=1,2040-03-01=1");
    }
  }

  private static void insert(Statement s, String request, String endedAt) throws SQLException {
    s.execute(
        "INSERT INTO spend_log (request_id, key_id, model, cost_nanos, status, latency_ms,"
            + " started_at, ended_at) VALUES ('"
            + request
            + "', 'k1', 'm', 5, 'SUCCESS', 1, timestamptz '"
            + endedAt
            + "', timestamptz '"
            + endedAt
            + "')");
  }
}

package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.one;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.junit.jupiter.api.Test;

/**
 * V123 on a database that already has spend: the schema is migrated to the version before it, rows
 * are written to the unpartitioned spend_log as that schema stands, and then V123 runs.
 */
class SpendLogMigrationTest {
  private static final String FINGERPRINT =
      "SELECT count(*) || ':' || coalesce(sum(cost_nanos), 0) || ':' || md5(coalesce(string_agg("
          + "concat_ws('|', id, reservation_id, request_id, key_id, user_id, team_id, model,"
          + " deployment_id, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
          + " usage_source, cost_nanos, status, error_type, latency_ms,"
          + " extract(epoch FROM started_at), extract(epoch FROM ended_at)), ',' ORDER BY id), ''))"
          + " FROM spend_log";

  @Test
  void anUnpartitionedSpendLogWithRowsIsMovedIntoMonthlyPartitionsUnchanged() throws SQLException {
    DatabaseConfig config = PostgresFixture.freshDatabase();
    MigrationVersion before = versionBefore123(config);
    Flyway.configure()
        .dataSource(config.jdbcUrl(), config.username(), config.password())
        .locations("classpath:db/migration")
        .target(before)
        .load()
        .migrate();
    String fingerprint;
    long maxId;
    try (Connection c = connect(config);
        Statement s = c.createStatement()) {
      assertThat(relkind(s)).isEqualTo("r");
      // 1,500 rows over September, October and this month; some without user, team or usage,
      // one with a NULL reservation id (allowed by V1).
      s.execute(
          "INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,"
              + " input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, usage_source,"
              + " cost_nanos, status, latency_ms, started_at, ended_at)"
              + " SELECT CASE WHEN g = 7 THEN NULL ELSE 'res-' || g END, 'req-' || g, 'k' || (g % 5),"
              + " CASE WHEN g % 3 = 0 THEN NULL ELSE 'u' || (g % 7) END,"
              + " CASE WHEN g % 4 = 0 THEN NULL ELSE 't' || (g % 2) END, 'm' || (g % 3),"
              + " CASE WHEN g % 10 = 0 THEN NULL ELSE g END, CASE WHEN g % 10 = 0 THEN NULL ELSE 2 * g"
              + " END, CASE WHEN g % 10 = 0 THEN NULL ELSE 0 END, CASE WHEN g % 10 = 0 THEN NULL ELSE"
              + " 1 END, CASE WHEN g % 10 = 0 THEN NULL ELSE 'REPORTED' END, g * 1000, 'SUCCESS', 5,"
              + " ts - interval '1 second', ts FROM generate_series(1, 1500) g,"
              + " LATERAL (SELECT CASE g % 3 WHEN 0 THEN timestamptz '2026-09-10T12:00:00Z'"
              + " WHEN 1 THEN timestamptz '2026-10-15T08:00:00.123456Z'"
              + " ELSE date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' + interval '1 hour' END"
              + " + (g % 17) * interval '1 minute' AS ts) t");
      fingerprint = one(s, FINGERPRINT);
      maxId = Long.parseLong(one(s, "SELECT max(id) FROM spend_log"));
    }

    try (PostgresAdapters adapters = PostgresAdapters.start(config);
        Connection c = connect(config);
        Statement s = c.createStatement()) {
      assertThat(relkind(s)).isEqualTo("p");
      assertThat(one(s, FINGERPRINT)).isEqualTo(fingerprint);
      YearMonth now = YearMonth.now(ZoneOffset.UTC);
      List<String> expected = new ArrayList<>(List.of("spend_log_default"));
      for (YearMonth m : List.of(YearMonth.of(2026, 9), YearMonth.of(2026, 10), now)) {
        expected.add(partition(m));
      }
      expected.add(partition(now.plusMonths(1)));
      expected.add(partition(now.plusMonths(2)));
      assertThat(partitions(s))
          .containsExactlyInAnyOrderElementsOf(expected.stream().distinct().toList());
      assertThat(one(s, "SELECT count(*) FROM spend_log_default")).isEqualTo("0");
      assertThat(one(s, "SELECT count(*) FROM spend_log_p202610")).isEqualTo("500");

      // The identity goes on after the largest id kept.
      s.execute(
          "INSERT INTO spend_log (request_id, key_id, model, cost_nanos, status, latency_ms,"
              + " started_at, ended_at) VALUES ('new', 'k1', 'm', 1, 'SUCCESS', 1, now(), now())");
      assertThat(Long.parseLong(one(s, "SELECT id FROM spend_log WHERE request_id = 'new'")))
          .isGreaterThan(maxId);
      // The old unique reservation id holds with the partition key; no function names the old one.
      assertThat(
              one(
                  s,
                  "SELECT count(*) FROM pg_proc WHERE prosrc LIKE"
                      + " '%ON CONFLICT (ended_at, reservation_id)%'"))
          .isNotEqualTo("0");

      // The rows migrated are rolled up like any other.
      adapters.spendLogMaintenance(Optional.empty()).rollUp();
      assertThat(one(s, "SELECT sum(cost_nanos) || '/' || sum(requests) FROM spend_daily"))
          .isEqualTo(one(s, "SELECT sum(cost_nanos) || '/' || count(*) FROM spend_log"));
    }
  }

  private static MigrationVersion versionBefore123(DatabaseConfig config) {
    MigrationInfo[] all =
        Flyway.configure()
            .dataSource(config.jdbcUrl(), config.username(), config.password())
            .locations("classpath:db/migration")
            .load()
            .info()
            .all();
    return Arrays.stream(all)
        .map(MigrationInfo::getVersion)
        .filter(v -> v.compareTo(MigrationVersion.fromVersion("123")) < 0)
        .max(MigrationVersion::compareTo)
        .orElseThrow();
  }

  static String partition(YearMonth m) {
    return String.format("spend_log_p%04d%02d", m.getYear(), m.getMonthValue());
  }

  static List<String> partitions(Statement s) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                + " WHERE i.inhparent = 'spend_log'::regclass")) {
      while (rs.next()) {
        names.add(rs.getString(1));
      }
    }
    return names;
  }

  private static String relkind(Statement s) throws SQLException {
    return one(s, "SELECT relkind::text FROM pg_class WHERE oid = 'spend_log'::regclass");
  }

  static Connection connect(DatabaseConfig config) throws SQLException {
    return DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }
}

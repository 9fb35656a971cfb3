package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.databaseAt;
import static io.llmgateway.postgres.SpendSql.longs;
import static io.llmgateway.postgres.SpendSql.one;
import static io.llmgateway.postgres.SpendSql.sums;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendScope;
import io.llmgateway.core.spend.SpendTotal;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The daily rollups hold the budget time zone's days (V127): V127 re-rolls a database whose stored
 * zone is not UTC and leaves a UTC one as it is, and a zone change re-rolls them in its transaction
 * (a fixed offset included, whose sign PostgreSQL would invert if given the zone's id).
 */
class SpendRollupZoneTest {
  private static final String[] TABLES = {
    "spend_daily|key_id, user_id, team_id, model",
    "spend_daily_team|team_id, model",
    "spend_daily_user|user_id, team_id",
    "spend_daily_key|key_id, user_id, team_id",
  };

  @Test
  void v127RerollsTheRollupsOnTheStoredZonesDays() throws SQLException {
    DatabaseConfig config = atV126("America/New_York");
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      // V126's rollups: UTC days, which differ from New York's for rows before 04:00 or 05:00 UTC
      assertThat(rollups(s)).isEqualTo(spendLog(s, "ended_at AT TIME ZONE 'UTC'"));
      assertThat(rollups(s)).isNotEqualTo(spendLog(s, "ended_at AT TIME ZONE 'America/New_York'"));
    }
    try (PostgresAdapters adapters = PostgresAdapters.start(config);
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      assertThat(rollups(s)).isEqualTo(spendLog(s, "ended_at AT TIME ZONE 'America/New_York'"));
      // The day report on New York's days, from the rollups alone (the spend log emptied).
      Map<String, Long> want = byDay(s, "ended_at AT TIME ZONE 'America/New_York'");
      s.execute("TRUNCATE spend_log");
      ZoneId ny = ZoneId.of("America/New_York");
      Map<String, Long> got = new TreeMap<>();
      for (SpendTotal t :
          adapters
              .stores()
              .spendLog()
              .report(
                  SpendGroup.DAY,
                  Instant.parse("2026-08-31T04:00:00Z"),
                  Instant.parse("2026-09-08T04:00:00Z"),
                  ny,
                  SpendScope.ALL)) {
        got.put(t.group(), t.cost().nanos());
      }
      assertThat(got).isEqualTo(want);
    }
  }

  @Test
  void v127LeavesUtcRollupsAsTheyAre() throws SQLException {
    DatabaseConfig config = atV126("UTC");
    String before;
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      before = rollups(s) + " " + one(s, "SELECT rolled_below FROM spend_rollup_state");
    }
    PostgresAdapters.migrate(config);
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      assertThat(rollups(s) + " " + one(s, "SELECT rolled_below FROM spend_rollup_state"))
          .isEqualTo(before);
    }
  }

  @Test
  void aZoneChangeRerollsTheRollups() throws SQLException {
    DatabaseConfig config = PostgresFixture.freshDatabase();
    try (PostgresAdapters adapters = PostgresAdapters.start(config, ZoneId.of("UTC"));
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute("SELECT spend_log_ensure_partitions(timestamptz '2026-09-01', 2)");
      insert(s);
      adapters.spendLogMaintenance(Optional.empty()).rollUp();
      assertThat(rollups(s)).isEqualTo(spendLog(s, "ended_at AT TIME ZONE 'UTC'"));
    }
    PostgresAdapters.changeBudgetZone(config, ZoneId.of("America/New_York"));
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      assertThat(rollups(s)).isEqualTo(spendLog(s, "ended_at AT TIME ZONE 'America/New_York'"));
    }
    // Stored as 'UTC-03:30': PostgreSQL would read that id as 3:30 east of UTC.
    PostgresAdapters.changeBudgetZone(config, ZoneId.of("UTC-03:30"));
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      assertThat(one(s, "SELECT budget_timezone FROM gateway_settings")).isEqualTo("UTC-03:30");
      assertThat(rollups(s))
          .isEqualTo(spendLog(s, "(ended_at AT TIME ZONE 'UTC') - interval '3 hours 30 minutes'"));
    }
  }

  /**
   * The rollups of a month retention has dropped stay through a zone change (on the old zone's
   * days): re-rolled from the spend log alone they would be lost.
   */
  @Test
  void aZoneChangeKeepsTheRollupsOfDroppedMonths() throws SQLException {
    DatabaseConfig config = PostgresFixture.freshDatabase();
    String totals;
    try (PostgresAdapters adapters = PostgresAdapters.start(config, ZoneId.of("UTC"));
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute("SELECT spend_log_ensure_partitions(timestamptz '2026-08-01', 2)");
      insert(s);
      insert(s, "2026-08-25T00:00:00Z", 1701); // a week up to 2026-09-01T06:50Z
      adapters.spendLogMaintenance(Optional.empty()).rollUp();
      totals = totals(s);
      s.execute("DROP TABLE spend_log_p202608"); // as retention does, after the rollup
    }
    PostgresAdapters.changeBudgetZone(config, ZoneId.of("America/New_York"));
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      assertThat(totals(s)).isEqualTo(totals);
      // from September on, New York's days (2026-08-31 holds UTC's August 31 and New York's rows
      // of it after the drop)
      assertThat(since(rollups(s), "2026-09-01"))
          .isEqualTo(since(spendLog(s, "ended_at AT TIME ZONE 'America/New_York'"), "2026-09-01"));
    }
  }

  private static String totals(Statement s) throws SQLException {
    StringBuilder b = new StringBuilder();
    for (String t : TABLES) {
      String table = t.split("\\|")[0];
      b.append(one(s, "SELECT sum(requests) || '/' || sum(cost_nanos) FROM " + table)).append(' ');
    }
    return b.toString();
  }

  private static Map<String, String> since(Map<String, String> rows, String day) {
    Map<String, String> out = new TreeMap<>();
    rows.forEach(
        (k, v) -> {
          if (k.split("\\|")[1].compareTo(day) >= 0) {
            out.put(k, v);
          }
        });
    return out;
  }

  /** A database at V126 whose stored zone is {@code zone}, its rows rolled up on UTC days. */
  private static DatabaseConfig atV126(String zone) throws SQLException {
    DatabaseConfig config = databaseAt("126");
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute("INSERT INTO gateway_settings (budget_timezone) VALUES ('" + zone + "')");
      s.execute("SELECT spend_log_ensure_partitions(timestamptz '2026-09-01', 2)");
      insert(s);
      s.execute("SELECT spend_rollup()");
    }
    return config;
  }

  /** Rows every 347 s over a week of September 2026, with and without user and team. */
  private static void insert(Statement s) throws SQLException {
    insert(s, "2026-09-01T00:00:00Z", 1);
  }

  private static void insert(Statement s, String start, int first) throws SQLException {
    s.execute(
        "INSERT INTO spend_log (request_id, key_id, user_id, team_id, model, input_tokens,"
            + " output_tokens, cache_read_tokens, cache_write_tokens, usage_source, cost_nanos,"
            + " status, latency_ms, started_at, ended_at)"
            + " SELECT 'req-' || g, 'k' || (g % 5), CASE WHEN g % 3 = 0 THEN NULL ELSE 'u' || (g % 4)"
            + " END, CASE WHEN g % 4 = 0 THEN NULL ELSE 't' || (g % 2) END, 'm' || (g % 3), g, 2 * g,"
            + " 1, 0, 'REPORTED', g * 1000, 'SUCCESS', 5, ts, ts FROM generate_series("
            + first
            + ", "
            + (first + 1699)
            + ") g, LATERAL (SELECT timestamptz '"
            + start
            + "' + ((g - "
            + first
            + " + 1) * 347) * interval '1 second' AS ts) t");
  }

  /** Every rollup table's rows, as one comparable map. */
  private static Map<String, String> rollups(Statement s) throws SQLException {
    Map<String, String> out = new TreeMap<>();
    for (String t : TABLES) {
      String[] p = t.split("\\|");
      out.putAll(sums(s, p[0], p[0], p[1]));
    }
    return out;
  }

  /** What every rollup table should hold, the day being {@code local}::date. */
  private static Map<String, String> spendLog(Statement s, String local) throws SQLException {
    String raw = "(SELECT (" + local + ")::date AS day, *, 1 AS requests FROM spend_log) r";
    Map<String, String> out = new TreeMap<>();
    for (String t : TABLES) {
      String[] p = t.split("\\|");
      out.putAll(sums(s, p[0], raw, p[1]));
    }
    return out;
  }

  private static Map<String, Long> byDay(Statement s, String local) throws SQLException {
    return longs(
        s,
        "SELECT to_char("
            + local
            + ", 'YYYY-MM-DD'), sum(cost_nanos) FROM spend_log"
            + " WHERE ended_at >= '2026-08-31T04:00:00Z' AND ended_at < '2026-09-08T04:00:00Z'"
            + " GROUP BY 1");
  }
}

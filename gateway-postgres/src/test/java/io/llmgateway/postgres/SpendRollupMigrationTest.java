package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.databaseAt;
import static io.llmgateway.postgres.SpendSql.longs;
import static io.llmgateway.postgres.SpendSql.one;
import static io.llmgateway.postgres.SpendSql.sums;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendScope;
import io.llmgateway.core.spend.SpendTotal;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * V126 on a database whose spend_daily V123-V125 have filled: the coarse rollups start as the sums
 * of spend_daily (not of spend_log: the rows above the watermark are left to the next run), the
 * next run adds those rows to all four, and every report shape then equals spend_log summed.
 */
class SpendRollupMigrationTest {
  private static final String[][] GRAINS = {
    {"spend_daily_team", "team_id, model"},
    {"spend_daily_user", "user_id, team_id"},
    {"spend_daily_key", "key_id, user_id, team_id"},
  };

  @Test
  void coarseRollupsStartFromSpendDailyAndFollowTheSpendLog() throws SQLException {
    DatabaseConfig config = databaseAt("125");
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute("SELECT spend_log_ensure_partitions(timestamptz '2026-09-01', 2)");
      insert(s, 1, 1200); // rolled up by V125's spend_rollup()
      s.execute("SELECT spend_rollup()");
      insert(s, 1201, 1500); // the tail: above the watermark when V126 runs
    }

    try (PostgresAdapters adapters = PostgresAdapters.start(config);
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      for (String[] g : GRAINS) {
        assertThat(sums(s, "", g[0], g[1])).as(g[0]).isEqualTo(sums(s, "", "spend_daily", g[1]));
      }
      assertThat(one(s, "SELECT sum(requests) FROM spend_daily_team")).isEqualTo("1200");

      adapters.spendLogMaintenance(Optional.empty()).rollUp();
      String raw =
          "(SELECT (ended_at AT TIME ZONE 'UTC')::date AS day, *, 1 AS requests"
              + " FROM spend_log) r";
      for (String[] g : GRAINS) {
        assertThat(sums(s, "", g[0], g[1])).as(g[0]).isEqualTo(sums(s, "", raw, g[1]));
      }
      assertThat(sums(s, "", "spend_daily", "key_id, user_id, team_id, model"))
          .isEqualTo(sums(s, "", raw, "key_id, user_id, team_id, model"));

      Instant from = Instant.parse("2026-09-02T07:00:00Z");
      Instant to = Instant.parse("2026-09-05T19:00:00Z");
      for (SpendGroup group : SpendGroup.values()) {
        for (SpendScope scope : List.of(SpendScope.ALL, SpendScope.teams(Set.of("t1")))) {
          Map<String, Long> got = new TreeMap<>();
          for (SpendTotal t :
              adapters.stores().spendLog().report(group, from, to, ZoneOffset.UTC, scope)) {
            got.put(t.group(), t.cost().nanos());
          }
          assertThat(got).as(group + " " + scope).isEqualTo(expected(s, group, from, to, scope));
        }
      }
    }
  }

  /**
   * An old instance's rollup run that waits for the rollup lock while V126 holds it runs V125's
   * body once it has the lock: it would add the tail to spend_daily alone and move the watermark
   * past it, and the coarse tables would miss those rows for good. V126 renames the constraint that
   * body's ON CONFLICT names, so the run fails and rolls back; the next run adds the rows to all
   * four tables.
   */
  @Test
  void anOldRunWaitingForTheLockFailsInsteadOfDiverging() throws Exception {
    DatabaseConfig config = databaseAt("125");
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute("SELECT spend_log_ensure_partitions(timestamptz '2026-09-01', 2)");
      insert(s, 1, 600);
      s.execute("SELECT spend_rollup()");
      insert(s, 601, 900); // the tail the old run would roll up
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    String old;
    try (Connection holder = SpendLogMigrationTest.connect(config);
        Connection watch = SpendLogMigrationTest.connect(config);
        Statement w = watch.createStatement()) {
      // Holds V126 at its first use of spend_daily, after it has taken the rollup lock.
      holder.setAutoCommit(false);
      holder.createStatement().execute("LOCK TABLE spend_daily IN ACCESS EXCLUSIVE MODE");
      Future<?> migration =
          pool.submit(
              () ->
                  Flyway.configure()
                      .dataSource(config.jdbcUrl(), config.username(), config.password())
                      .locations("classpath:db/migration")
                      .load()
                      .migrate());
      await(w, "relation");
      Future<String> oldRun =
          pool.submit(
              () -> {
                try (Connection c = SpendLogMigrationTest.connect(config);
                    Statement s = c.createStatement()) {
                  return one(s, "SELECT spend_rollup()");
                } catch (SQLException e) {
                  return "failed: " + e.getSQLState();
                }
              });
      await(w, "advisory");
      holder.commit();
      migration.get(30, TimeUnit.SECONDS);
      old = oldRun.get(30, TimeUnit.SECONDS);
    } finally {
      pool.shutdownNow();
    }
    try (PostgresAdapters adapters = PostgresAdapters.start(config);
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      adapters.spendLogMaintenance(Optional.empty()).rollUp();
      String raw =
          "(SELECT (ended_at AT TIME ZONE 'UTC')::date AS day, *, 1 AS requests"
              + " FROM spend_log) r";
      for (String[] g : GRAINS) {
        assertThat(sums(s, "", g[0], g[1])).as(g[0]).isEqualTo(sums(s, "", raw, g[1]));
      }
      assertThat(sums(s, "", "spend_daily", "key_id, user_id, team_id, model"))
          .isEqualTo(sums(s, "", raw, "key_id, user_id, team_id, model"));
    }
    // 42704: undefined_object (the constraint V125's body names)
    assertThat(old).isEqualTo("failed: 42704");
  }

  /** Waits (5 s at most) until a session waits for a lock of this kind. */
  private static void await(Statement w, String lockKind) throws Exception {
    for (int i = 0; i < 500; i++) {
      if (!one(
              w,
              "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                  + " AND wait_event = '"
                  + lockKind
                  + "' AND datname = current_database()")
          .equals("0")) {
        return;
      }
      Thread.sleep(10);
    }
    throw new AssertionError("no session waits for a " + lockKind + " lock");
  }

  /** Rows over six days, with and without user and team, three models. */
  private static void insert(Statement s, int from, int to) throws SQLException {
    s.execute(
        "INSERT INTO spend_log (request_id, key_id, user_id, team_id, model, input_tokens,"
            + " output_tokens, cache_read_tokens, cache_write_tokens, usage_source, cost_nanos,"
            + " status, latency_ms, started_at, ended_at)"
            + " SELECT 'req-' || g, 'k' || (g % 9), CASE WHEN g % 3 = 0 THEN NULL ELSE 'u' || (g % 4)"
            + " END, CASE WHEN g % 4 = 0 THEN NULL ELSE 't' || (g % 2) END, 'm' || (g % 3), g, 2 * g,"
            + " 1, 0, 'REPORTED', g * 1000, 'SUCCESS', 5, ts, ts FROM generate_series("
            + from
            + ", "
            + to
            + ") g, LATERAL (SELECT timestamptz '2026-09-01T00:00:00Z'"
            + " + (g * 347 % 518400) * interval '1 second' AS ts) t");
  }

  private static Map<String, Long> expected(
      Statement s, SpendGroup group, Instant from, Instant to, SpendScope scope)
      throws SQLException {
    String key =
        switch (group) {
          case KEY -> "key_id";
          case USER -> "coalesce(user_id, '(none)')";
          case TEAM -> "coalesce(team_id, '(none)')";
          case MODEL -> "model";
          case DAY -> "to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')";
        };
    String where = scope.teamIds().isPresent() ? " AND team_id = 't1'" : "";
    return longs(
        s,
        "SELECT "
            + key
            + ", sum(cost_nanos) FROM spend_log WHERE ended_at >= '"
            + from
            + "' AND ended_at < '"
            + to
            + "'"
            + where
            + " GROUP BY 1");
  }
}

package io.llmgateway.postgres;

import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendSeriesQuery;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Not part of {@code ./mvnw verify} (the name does not end in Test): the spend log at 10 million
 * generated rows (docs/POSTGRES.md "The spend log"). Run with {@code ./mvnw -pl gateway-postgres
 * -am verify -Dtest=SpendLogBench -Dsurefire.failIfNoSpecifiedTests=false [-Dspend.rows=N]}. Prints
 * bytes per row (heap, indexes) and report/series times from rollups against the same report read
 * from spend_log alone.
 */
class SpendLogBench {
  private static final Instant START = Instant.parse("2026-09-01T00:00:00Z");

  /**
   * Days the rows spread over: 30 is 10 million rows a month; fewer rows over fewer days keep the
   * density (rows per day and key) of a 10-million-row month on a smaller run.
   */
  private static final int DAYS = Integer.getInteger("spend.days", 30);

  @Test
  void tenMillionRows() throws Exception {
    long rows = Long.getLong("spend.rows", 10_000_000L);
    DatabaseConfig config = PostgresFixture.freshDatabase();
    try (PostgresAdapters adapters = PostgresAdapters.start(config);
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      SpendLogMaintenance m = adapters.spendLogMaintenance(Optional.empty());
      m.ensurePartitions(START);
      m.ensurePartitions(START.plusSeconds(86_400L * DAYS));
      long t0 = System.nanoTime();
      // 1,000 keys, each of one user (300) of one team (20), 8 models, evenly over DAYS days.
      s.execute(
          "INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,"
              + " deployment_id, input_tokens, output_tokens, cache_read_tokens,"
              + " cache_write_tokens, usage_source, cost_nanos, status, latency_ms, started_at,"
              + " ended_at) SELECT 'res-' || md5(g::text), 'chatcmpl-' || md5(g::text), 'key-'"
              + " || (g % 1000), 'user-' || (g % 1000 % 300), 'team-' || (g % 1000 % 300 % 20),"
              + " 'model-' || (g % 8),"
              + " 'bedrock-' || (g % 8), 500 + g % 2000, 100 + g % 700, g % 300, 0, 'REPORTED',"
              + " 1000 + (g % 100000) * 37, 'SUCCESS', 200 + g % 5000, ts - interval '2 seconds',"
              + " ts FROM generate_series(1, "
              + rows
              + ") g, LATERAL (SELECT timestamptz '2026-09-01T00:00:00Z' + (g::float8 / "
              + rows
              + " * "
              + DAYS
              + ") * interval '1 day' AS ts) t");
      long insertMs = (System.nanoTime() - t0) / 1_000_000;
      System.out.printf("rows %d, insert %d ms%n", rows, insertMs);
      s.execute("VACUUM ANALYZE spend_log");
      long t1 = System.nanoTime();
      // On this connection: the pool's socket timeout is shorter than a first rollup of millions.
      s.execute("SELECT spend_rollup()");
      long rollupMs = (System.nanoTime() - t1) / 1_000_000;
      s.execute("VACUUM ANALYZE spend_daily");
      System.out.printf("rows %d, insert %d ms, first rollup %d ms%n", rows, insertMs, rollupMs);
      print(
          s,
          "heap bytes/row",
          "SELECT sum(pg_relation_size(c.oid))::float8 / "
              + rows
              + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
              + " WHERE i.inhparent = 'spend_log'::regclass");
      print(
          s,
          "heap+indexes+toast bytes/row",
          "SELECT sum(pg_total_relation_size(c.oid))::float8"
              + " / "
              + rows
              + " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
              + " WHERE i.inhparent = 'spend_log'::regclass");
      print(s, "rollup rows", "SELECT count(*) FROM spend_daily");
      print(s, "rollup total bytes", "SELECT pg_total_relation_size('spend_daily')");

      // One more day of rows above the watermark: the tail the reports add to the rollups.
      s.execute(
          "INSERT INTO spend_log (request_id, key_id, user_id, team_id, model, cost_nanos, status,"
              + " latency_ms, started_at, ended_at) SELECT 'tail', 'key-' || (g % 1000), 'user-'"
              + " || (g % 300), 'team-' || (g % 20), 'model-1', 5000, 'SUCCESS', 1, ts, ts FROM"
              + " generate_series(1, 20000) g, LATERAL (SELECT timestamptz '2026-09-02T00:00:00Z'"
              + " + g * interval '1 second' AS ts) t");
      Instant from = START.plusSeconds(6 * 3600 + 1800);
      Instant to = START.plusSeconds(86_400L * DAYS - 12 * 3600);
      Instant all = START.plusSeconds(86_400L * DAYS);
      var log = adapters.stores().spendLog();
      time(
          "report by team, all days less 6.5 h and 12 h at the ends (rollups)",
          () -> log.report(SpendGroup.TEAM, from, to, ZoneOffset.UTC).size());
      time(
          "report by key, all days (rollups)",
          () -> log.report(SpendGroup.KEY, START, all, ZoneOffset.UTC).size());
      time(
          "report by day, all days (rollups)",
          () -> log.report(SpendGroup.DAY, START, all, ZoneOffset.UTC).size());
      time(
          "series by day and model, as the team report (rollups)",
          () ->
              log.series(
                      SpendSeriesQuery.all(from, to, SpendSeriesQuery.Bucket.DAY)
                          .by(SpendGroup.MODEL),
                      ZoneOffset.UTC)
                  .size());
      time(
          "report by day in America/New_York, as the team report (spend_log)",
          () ->
              log.report(SpendGroup.DAY, from, to, java.time.ZoneId.of("America/New_York")).size());
      time(
          "report by team, 30 days, read from spend_log alone (as before V123)",
          () ->
              count(
                  s,
                  "SELECT coalesce(team_id, '(none)'), count(*), sum(cost_nanos) FROM"
                      + " spend_log WHERE ended_at >= '2026-10-01T06:30:00Z' AND ended_at <"
                      + " '2026-10-31T12:00:00Z' GROUP BY 1"));
      time(
          "report by key, 91 days, read from spend_log alone (as before V123)",
          () ->
              count(
                  s,
                  "SELECT key_id, count(*), sum(cost_nanos) FROM spend_log WHERE"
                      + " ended_at >= '2026-09-01' AND ended_at < '2026-12-01' GROUP BY 1"));
      String w =
          count(s, "SELECT 1") > 0 ? one(s, "SELECT rolled_below FROM spend_rollup_state") : "";
      try (ResultSet rs =
          s.executeQuery(
              "EXPLAIN (ANALYZE, BUFFERS) SELECT count(*) FROM spend_log WHERE txid >= "
                  + w
                  + " AND ended_at >= '"
                  + START
                  + "' AND ended_at < '"
                  + all
                  + "'")) {
        while (rs.next()) {
          System.out.println("plan: " + rs.getString(1));
        }
      }
      long t2 = System.nanoTime();
      s.execute("SELECT spend_rollup()");
      System.out.printf(
          "rollup of the 20,000-row tail: %d ms%n", (System.nanoTime() - t2) / 1_000_000);
    }
  }

  private static int count(Statement s, String sql) {
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String one(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void print(Statement s, String what, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      System.out.println(what + ": " + rs.getString(1));
    }
  }

  private static void time(String what, Supplier<Integer> run) {
    long[] ms = new long[3];
    int n = 0;
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      n = run.get();
      ms[i] = (System.nanoTime() - t) / 1_000_000;
    }
    Arrays.sort(ms);
    System.out.printf("%s: median %d ms (%s), %d groups%n", what, ms[1], Arrays.toString(ms), n);
  }
}

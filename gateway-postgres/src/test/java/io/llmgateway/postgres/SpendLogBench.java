package io.llmgateway.postgres;

import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendLog;
import io.llmgateway.core.spend.SpendSeriesQuery;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Not part of {@code ./mvnw verify} (the name does not end in Test): the spend log at 10 million
 * generated rows (docs/POSTGRES.md "The spend log", which gives the command and the figures).
 * Generates the rows in SQL ({@code spendlog-bench.sql}, minutes, not the hours of settling them),
 * then prints sizes and, for each report the admin API, UI and CLI ask for, the time read from the
 * rollups (through {@link SpendLog}, the code path they use) against the same report summed from
 * spend_log as before V123: the first run and the median of five warm ones.
 *
 * <p>{@code -Dspend.db=<jdbc url>} reuses a database a previous run generated (the rows are kept),
 * e.g. to measure again after restarting the server with cold buffers.
 */
class SpendLogBench {
  private static final Instant START = Instant.parse("2026-09-01T00:00:00Z");
  private static final long ROWS = Long.getLong("spend.rows", 10_000_000L);
  private static final int DAYS = Integer.getInteger("spend.days", 30);
  private static final Instant END = START.plusSeconds(86_400L * DAYS);

  /** {@code -Dspend.old=false}: time the rollup path only (no spend_log-alone query, no zone). */
  private static final boolean OLD = !"false".equals(System.getProperty("spend.old"));

  @Test
  void tenMillionRows() throws Exception {
    String url = System.getProperty("spend.db");
    DatabaseConfig config =
        url == null ? PostgresFixture.freshDatabase() : DatabaseConfig.fromUrl(url, 5);
    try (PostgresAdapters adapters = PostgresAdapters.start(config);
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      System.out.println("database: " + config.jdbcUrl());
      if (Long.parseLong(one(s, "SELECT count(*) FROM (SELECT 1 FROM spend_log LIMIT 1) x")) == 0) {
        generate(adapters, s);
      }
      print(s, "rows", "SELECT count(*) FROM spend_log");
      sizes(s);
      reports(adapters.stores().spendLog(), s);
    }
  }

  private static void generate(PostgresAdapters adapters, Statement s) throws Exception {
    SpendLogMaintenance m = adapters.spendLogMaintenance(Optional.empty());
    m.ensurePartitions(START);
    m.ensurePartitions(END);
    // The secondary indexes are dropped and built after the load: inserting 10 million rows into
    // five b-trees one by one takes ~17 min here, sorting them ~2. A built index is denser than
    // one grown by inserts: docs/POSTGRES.md gives both sizes.
    List<String> defs = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()"
                + " AND tablename = 'spend_log' AND indexname <> 'spend_log_reservation'")) {
      while (rs.next()) {
        // "ON ONLY spend_log" would build the parent's index alone, without the partitions'
        defs.add(rs.getString(2).replace(" ON ONLY ", " ON "));
      }
    }
    for (String def : defs) {
      s.execute("DROP INDEX " + def.split(" ")[2]);
    }
    String sql;
    try (InputStream in = SpendLogBench.class.getResourceAsStream("/spendlog-bench.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    long t0 = System.nanoTime();
    s.execute(
        sql.replace(":rows", Long.toString(ROWS))
            .replace(":days", Integer.toString(DAYS))
            .replace(":start", "'" + START + "'"));
    long insertMs = ms(t0);
    long t1 = System.nanoTime();
    s.execute("SET maintenance_work_mem = '512MB'");
    for (String def : defs) {
      s.execute(def);
    }
    long indexMs = ms(t1);
    long t2 = System.nanoTime();
    s.execute("VACUUM ANALYZE spend_log");
    long vacuumMs = ms(t2);
    long t3 = System.nanoTime();
    // On this connection: the pool's socket timeout is shorter than a first rollup of millions.
    s.execute("SELECT spend_rollup()");
    System.out.printf(
        "generated %d rows over %d days: insert %d ms, indexes %d ms, vacuum %d ms,"
            + " first rollup %d ms%n",
        ROWS, DAYS, insertMs, indexMs, vacuumMs, ms(t3));
    s.execute("VACUUM ANALYZE spend_daily, spend_daily_team, spend_daily_user, spend_daily_key");
    // The tail: 2,000 short rows over the last day committed after the vacuum and the rollup, so
    // they land in free-space gaps all over the partition, as late commits do.
    s.execute(
        "INSERT INTO spend_log (request_id, key_id, model, cost_nanos, status, error_type,"
            + " latency_ms, started_at, ended_at) SELECT 'tail-' || g, 'sk-tail', 'nova-micro',"
            + " 0, 'ERROR', 'upstream_error', 5, ts, ts FROM generate_series(1, 2000) g,"
            + " LATERAL (SELECT timestamptz '"
            + END
            + "' - g * interval '40 seconds' AS ts) t");
  }

  private static void sizes(Statement s) throws Exception {
    String rows = "(SELECT count(*) FROM spend_log)";
    String parts =
        " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            + " WHERE i.inhparent = 'spend_log'::regclass";
    print(s, "heap bytes/row", "SELECT sum(pg_relation_size(c.oid)) / " + rows + parts);
    print(
        s, "heap+indexes bytes/row", "SELECT sum(pg_total_relation_size(c.oid)) / " + rows + parts);
    try (ResultSet rs =
        s.executeQuery(
            "SELECT p.relname, pg_size_pretty(sum(pg_relation_size(i.inhrelid))),"
                + " sum(pg_relation_size(i.inhrelid)) / "
                + rows
                + " FROM pg_class p JOIN pg_index x ON x.indexrelid = p.oid"
                + " JOIN pg_inherits i ON i.inhparent = p.oid"
                + " WHERE x.indrelid = 'spend_log'::regclass GROUP BY 1 ORDER BY 1")) {
      while (rs.next()) {
        System.out.printf(
            "index %s: %s, %s bytes/row%n", rs.getString(1), rs.getString(2), rs.getString(3));
      }
    }
    for (String t :
        List.of("spend_daily", "spend_daily_key", "spend_daily_user", "spend_daily_team")) {
      if (one(s, "SELECT to_regclass('" + t + "') IS NOT NULL").equals("t")) {
        print(s, t + " rows", "SELECT count(*) FROM " + t);
        print(s, t + " total", "SELECT pg_size_pretty(pg_total_relation_size('" + t + "'))");
      }
    }
  }

  private static void reports(SpendLog log, Statement s) {
    Instant midDay = END.minusSeconds(86_400L - 14 * 3600); // 14:00 on the last day
    Instant monthStart = START;
    // The admin API / CLI report (whole days), the UI's lists (period start to now + 1 s), the
    // UI's 30-day chart and usage series, and a range cut mid-day at both ends.
    time(
        "report by team, 30 whole days (/global/spend/report, CLI)",
        () -> log.report(SpendGroup.TEAM, START, END, ZoneOffset.UTC).size(),
        "SELECT coalesce(team_id, '(none)'), count(*), sum(cost_nanos) FROM spend_log"
            + range(START, END)
            + " GROUP BY 1",
        s);
    time(
        "report by key, 30 whole days",
        () -> log.report(SpendGroup.KEY, START, END, ZoneOffset.UTC).size(),
        "SELECT key_id, count(*), sum(cost_nanos) FROM spend_log"
            + range(START, END)
            + " GROUP BY 1",
        s);
    time(
        "report by user, 30 whole days",
        () -> log.report(SpendGroup.USER, START, END, ZoneOffset.UTC).size(),
        "SELECT coalesce(user_id, '(none)'), count(*), sum(cost_nanos) FROM spend_log"
            + range(START, END)
            + " GROUP BY 1",
        s);
    time(
        "report by day, 30 whole days (UI overview chart)",
        () -> log.report(SpendGroup.DAY, START, END, ZoneOffset.UTC).size(),
        "SELECT to_char(ended_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), count(*), sum(cost_nanos)"
            + " FROM spend_log"
            + range(START, END)
            + " GROUP BY 1",
        s);
    time(
        "series by day and model, 30 whole days (UI usage chart)",
        () ->
            log.series(
                    SpendSeriesQuery.builder(START, END, SpendSeriesQuery.Bucket.DAY)
                        .by(SpendGroup.MODEL)
                        .build(),
                    ZoneOffset.UTC)
                .size(),
        "SELECT date_trunc('day', ended_at AT TIME ZONE 'UTC'), model, count(*), sum(cost_nanos)"
            + " FROM spend_log"
            + range(START, END)
            + " GROUP BY 1, 2",
        s);
    time(
        "report by key, month start to 14:00 on the last day (UI keys list, month window)",
        () -> log.report(SpendGroup.KEY, monthStart, midDay, ZoneOffset.UTC).size(),
        "SELECT key_id, count(*), sum(cost_nanos) FROM spend_log"
            + range(monthStart, midDay)
            + " GROUP BY 1",
        s);
    Instant dayStart = END.minusSeconds(86_400L);
    time(
        "report by team, today 00:00 to 14:00 (UI teams list, day window; metrics gauges)",
        () -> log.report(SpendGroup.TEAM, dayStart, midDay, ZoneOffset.UTC).size(),
        "SELECT coalesce(team_id, '(none)'), count(*), sum(cost_nanos) FROM spend_log"
            + range(dayStart, midDay)
            + " GROUP BY 1",
        s);
    Instant cutFrom = START.plusSeconds(9 * 3600);
    time(
        "report by model, 09:00 on day 1 to 14:00 on the last day",
        () -> log.report(SpendGroup.MODEL, cutFrom, midDay, ZoneOffset.UTC).size(),
        "SELECT model, count(*), sum(cost_nanos) FROM spend_log"
            + range(cutFrom, midDay)
            + " GROUP BY 1",
        s);
    // The UI's usage page over 24 h: hourly buckets, which no rollup holds, so spend_log's rows of
    // those hours (by the ended_at index; pruned to the partitions they are in).
    Instant dayAgo = END.minusSeconds(86_400L);
    time(
        "series by hour and model, last 24 hours (UI usage chart, 24 h)",
        () ->
            log.series(
                    SpendSeriesQuery.builder(dayAgo, END, SpendSeriesQuery.Bucket.HOUR)
                        .by(SpendGroup.MODEL)
                        .build(),
                    ZoneOffset.UTC)
                .size(),
        "SELECT date_trunc('hour', ended_at), model, count(*), sum(cost_nanos) FROM spend_log"
            + range(dayAgo, END)
            + " GROUP BY 1, 2",
        s);
    time(
        "report by day in America/New_York, 30 days (spend_log only: not UTC days)",
        () -> log.report(SpendGroup.DAY, START, END, ZoneId.of("America/New_York")).size(),
        "SELECT 1",
        s);
  }

  private static String range(Instant from, Instant to) {
    return " WHERE ended_at >= '" + from + "' AND ended_at < '" + to + "'";
  }

  /** The first run and the median of five more, from rollups and from spend_log alone. */
  private static void time(String what, Supplier<Integer> rollups, String old, Statement s) {
    if (!OLD && old.equals("SELECT 1")) {
      return; // a zone other than the rollups' (the bench database is UTC): spend_log alone
    }
    String a = runs(rollups);
    String b = OLD ? runs(() -> count(s, old)) : "(not run: -Dspend.old=false)";
    System.out.printf("%s: rollups %s | spend_log alone %s%n", what, a, b);
  }

  private static String runs(Supplier<Integer> run) {
    long t = System.nanoTime();
    int n = run.get();
    long first = ms(t);
    long[] warm = new long[5];
    for (int i = 0; i < warm.length; i++) {
      long w = System.nanoTime();
      run.get();
      warm[i] = ms(w);
    }
    Arrays.sort(warm);
    return String.format("first %d ms, warm median %d ms (%d groups)", first, warm[2], n);
  }

  private static long ms(long since) {
    return (System.nanoTime() - since) / 1_000_000;
  }

  private static int count(Statement s, String sql) {
    try (ResultSet rs = s.executeQuery(sql)) {
      int n = 0;
      while (rs.next()) {
        n++;
      }
      return n;
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String one(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void print(Statement s, String what, String sql) throws SQLException {
    System.out.println(what + ": " + one(s, sql));
  }
}

package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.spend.SpendBucket;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendScope;
import io.llmgateway.core.spend.SpendSeriesQuery;
import io.llmgateway.core.spend.SpendTotal;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The daily rollups equal the sum of the spend log (V123), however spend arrives: random rows over
 * six weeks, written by transactions that commit, roll back, or stay open across a rollup run and
 * commit later with old timestamps; and the report, read from rollups plus the tail not yet rolled
 * up, equals the sum of the committed rows at every moment. On a database whose budget zone is UTC,
 * and on one whose zone is America/New_York over six weeks across the end of DST (V127: the rollups
 * hold the budget zone's days, a 25-hour day included).
 */
class SpendRollupPropertyTest {
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  /** A database on one budget zone, its rows spread over six weeks from {@code t0}. */
  record Setup(ZoneId zone, Instant t0, DatabaseConfig config, PostgresAdapters adapters) {}

  private static final Map<ZoneId, Setup> SETUPS = new HashMap<>();

  private static synchronized Setup setup(ZoneId zone, Instant t0) {
    return SETUPS.computeIfAbsent(
        zone,
        z -> {
          DatabaseConfig config = PostgresFixture.freshDatabase();
          PostgresAdapters adapters = PostgresAdapters.start(config, z);
          adapters.spendLogMaintenance(Optional.empty()).ensurePartitions(t0);
          adapters
              .spendLogMaintenance(Optional.empty())
              .ensurePartitions(t0.plusSeconds(30L * 86_400));
          return new Setup(z, t0, config, adapters);
        });
  }

  @AfterContainer
  static synchronized void close() {
    SETUPS.values().forEach(s -> s.adapters().close());
    SETUPS.clear();
  }

  record Row(
      LocalDate day, String key, String user, String team, String model, long cost, Instant at) {}

  @Property(tries = 6)
  void rollupsAndReportsEqualTheSpendLog(@ForAll long seed) throws SQLException {
    run(setup(ZoneOffset.UTC, Instant.parse("2035-05-01T00:00:00Z")), seed);
  }

  /**
   * The same on New York's days, 2035-10-20 to 2035-12-01 (DST ends on 2035-11-04). Before V127 the
   * rollups held UTC days: the day report and daily series read spend_log alone, and a report by
   * team split its span at UTC midnights; the check after the spend log is emptied (below) then
   * fails.
   */
  @Property(tries = 4)
  void rollupsAndReportsEqualTheSpendLogOnNewYorkDays(@ForAll long seed) throws SQLException {
    run(setup(NEW_YORK, Instant.parse("2035-10-20T04:00:00Z")), seed);
  }

  private static void run(Setup setup, long seed) throws SQLException {
    SpendLogMaintenance job = setup.adapters().spendLogMaintenance(Optional.empty());
    Random random = new Random(seed);
    List<Row> committed = new ArrayList<>();
    try (Connection main = SpendLogMigrationTest.connect(setup.config());
        Connection held = SpendLogMigrationTest.connect(setup.config());
        Statement s = main.createStatement()) {
      s.execute(
          "TRUNCATE spend_log, spend_daily, spend_daily_team, spend_daily_user, spend_daily_key");
      held.setAutoCommit(false);
      List<Row> heldRows = new ArrayList<>();
      main.setAutoCommit(false);
      // One transaction stays open from heldFrom to heldTo while later ones commit and the job
      // runs: its rows commit late, with txids below theirs and timestamps of any day.
      int heldFrom = random.nextInt(4);
      int heldTo = heldFrom + 2 + random.nextInt(6);
      for (int tx = 0; tx < 12; tx++) {
        boolean hold = tx == heldFrom;
        Connection c = hold ? held : main;
        List<Row> rows = new ArrayList<>();
        for (int i = random.nextInt(6); i >= 0; i--) {
          rows.add(insert(setup, c, random));
        }
        if (hold) {
          heldRows.addAll(rows);
        } else if (random.nextInt(8) == 0 && tx != heldFrom + 1) {
          main.rollback();
        } else {
          main.commit();
          committed.addAll(rows);
        }
        if (random.nextInt(2) == 0 || tx == heldTo - 1) {
          job.rollUp();
        }
        if (tx == heldTo) {
          held.commit();
          committed.addAll(heldRows);
          heldRows.clear();
        }
        assertReport(setup, committed, random);
      }
      held.commit();
      committed.addAll(heldRows);
      main.setAutoCommit(true);
      assertReport(setup, committed, random);
      job.rollUp();
      for (Grain g : Grain.values()) {
        assertThat(rollups(s, g)).as(g.table).isEqualTo(expected(committed, g));
      }
      assertReport(setup, committed, random);
      // Whole days of the zone come from the rollups alone: with the spend log emptied (as
      // retention drops its old months) every report shape over them is still the rows'.
      s.execute("TRUNCATE spend_log");
      LocalDate first = LocalDate.ofInstant(setup.t0(), setup.zone()).plusDays(random.nextInt(20));
      LocalDate last = first.plusDays(1 + random.nextInt(21));
      assertReport(
          setup,
          committed,
          first.atStartOfDay(setup.zone()).toInstant(),
          last.atStartOfDay(setup.zone()).toInstant(),
          random);
    }
  }

  /**
   * Every report shape over a random span equals the committed rows: whole days and partial ones, a
   * partial day read either as its rows inside the span or as its rollup less its rows outside
   * (SpendRollupSql), spans inside one day included. Each group (and a team or user scope) reads
   * another rollup table (SpendRollups): by team, model and day spend_daily_team, by user
   * spend_daily_user, by key spend_daily_key, by model for one user spend_daily.
   */
  private static void assertReport(Setup setup, List<Row> committed, Random random) {
    Instant from = setup.t0().plusSeconds(random.nextInt(20 * 86_400));
    Instant to = from.plusSeconds(1 + random.nextInt(random.nextBoolean() ? 30 * 86_400 : 86_400));
    assertReport(setup, committed, from, to, random);
  }

  private static void assertReport(
      Setup setup, List<Row> committed, Instant from, Instant to, Random random) {
    PostgresAdapters adapters = setup.adapters();
    List<SpendScope> scopes =
        List.of(
            SpendScope.ALL,
            SpendScope.teams(Set.of("t" + random.nextInt(2))),
            SpendScope.user("u1"));
    for (SpendGroup group : SpendGroup.values()) {
      for (SpendScope scope : scopes) {
        Map<String, Long> want = new TreeMap<>();
        for (Row r : committed) {
          Instant at = r.at();
          if (!at.isBefore(from) && at.isBefore(to) && in(scope, r)) {
            want.merge(group(group, r), r.cost(), Long::sum);
          }
        }
        Map<String, Long> got = new TreeMap<>();
        for (SpendTotal t :
            adapters.stores().spendLog().report(group, from, to, setup.zone(), scope)) {
          got.put(t.group(), t.cost().nanos());
        }
        assertThat(got).as(group + " " + scope).isEqualTo(want);
      }
    }
    // The UI charts: a daily series grouped by team or model (spend_daily_team), narrowed to one
    // key (spend_daily_key) or one user and model (spend_daily).
    List<SpendSeriesQuery> series =
        List.of(
            SpendSeriesQuery.builder(from, to, SpendSeriesQuery.Bucket.DAY)
                .by(SpendGroup.MODEL)
                .build(),
            SpendSeriesQuery.builder(from, to, SpendSeriesQuery.Bucket.DAY)
                .by(SpendGroup.TEAM)
                .build(),
            SpendSeriesQuery.builder(from, to, SpendSeriesQuery.Bucket.DAY)
                .keyId("k1")
                .by(SpendGroup.USER)
                .build(),
            SpendSeriesQuery.builder(from, to, SpendSeriesQuery.Bucket.DAY)
                .userId("u0")
                .model("m1")
                .build());
    for (SpendSeriesQuery q : series) {
      Map<String, Long> want = new TreeMap<>();
      for (Row r : committed) {
        Instant at = r.at();
        if (!at.isBefore(from)
            && at.isBefore(to)
            && q.keyId().map(r.key()::equals).orElse(true)
            && q.userId().map(u -> u.equals(r.user())).orElse(true)
            && q.model().map(r.model()::equals).orElse(true)) {
          String grp = q.by().map(g -> group(g, r)).orElse(SpendBucket.ALL);
          want.merge(r.day() + "|" + grp, r.cost(), Long::sum);
        }
      }
      Map<String, Long> got = new TreeMap<>();
      for (SpendBucket b : adapters.stores().spendLog().series(q, setup.zone())) {
        got.put(b.start().toLocalDate() + "|" + b.group(), b.cost().nanos());
      }
      assertThat(got).as(q.toString()).isEqualTo(want);
    }
  }

  private static boolean in(SpendScope scope, Row r) {
    return scope.teamIds().map(t -> r.team() != null && t.contains(r.team())).orElse(true)
        && scope.userId().map(u -> u.equals(r.user())).orElse(true);
  }

  private static String group(SpendGroup group, Row r) {
    String none = PostgresSpendLog.NONE;
    return switch (group) {
      case KEY -> r.key();
      case USER -> r.user() == null ? none : r.user();
      case TEAM -> r.team() == null ? none : r.team();
      case MODEL -> r.model();
      case DAY -> r.day().toString();
    };
  }

  private static Row insert(Setup setup, Connection c, Random random) throws SQLException {
    // any second of six weeks (of the zone's days, 23 and 25 hours ones included), so that
    // partial days split a day's rows
    Instant at = setup.t0().plusSeconds(random.nextInt(42 * 86_400));
    LocalDate day = LocalDate.ofInstant(at, setup.zone());
    Row r =
        new Row(
            day,
            "k" + random.nextInt(3),
            random.nextBoolean() ? null : "u" + random.nextInt(2),
            random.nextBoolean() ? null : "t" + random.nextInt(2),
            "m" + random.nextInt(2),
            random.nextInt(1_000_000_000),
            at);
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO spend_log (request_id, key_id, user_id, team_id, model, input_tokens,"
                + " output_tokens, cache_read_tokens, cache_write_tokens, usage_source,"
                + " cost_nanos, status, latency_ms, started_at, ended_at) VALUES ('r', ?, ?, ?,"
                + " ?, 3, 2, 1, 0, 'REPORTED', ?, 'SUCCESS', 1, ?, ?)")) {
      p.setString(1, r.key());
      p.setString(2, r.user());
      p.setString(3, r.team());
      p.setString(4, r.model());
      p.setLong(5, r.cost());
      Timestamp ts = Timestamp.from(r.at());
      p.setTimestamp(6, ts);
      p.setTimestamp(7, ts);
      p.executeUpdate();
    }
    return r;
  }

  /** Each rollup table and its group columns (V123, V126). */
  enum Grain {
    FULL("spend_daily", "key_id", "user_id", "team_id", "model"),
    TEAM("spend_daily_team", "team_id", "model"),
    USER("spend_daily_user", "user_id", "team_id"),
    KEY("spend_daily_key", "key_id", "user_id", "team_id");

    final String table;
    final List<String> columns;

    Grain(String table, String... columns) {
      this.table = table;
      this.columns = List.of(columns);
    }

    String of(Row r) {
      StringBuilder b = new StringBuilder(r.day().toString());
      for (String c : columns) {
        b.append('|')
            .append(
                switch (c) {
                  case "key_id" -> r.key();
                  case "user_id" -> r.user();
                  case "team_id" -> r.team();
                  default -> r.model();
                });
      }
      return b.toString();
    }
  }

  private static Map<String, String> expected(List<Row> rows, Grain g) {
    Map<String, long[]> sums = new TreeMap<>();
    for (Row r : rows) {
      long[] v = sums.computeIfAbsent(g.of(r), k -> new long[2]);
      v[0]++;
      v[1] += r.cost();
    }
    Map<String, String> out = new TreeMap<>();
    sums.forEach((k, v) -> out.put(k, v[0] + "/" + 3 * v[0] + "/" + 2 * v[0] + "/" + v[1]));
    return out;
  }

  private static Map<String, String> rollups(Statement s, Grain g) throws SQLException {
    StringBuilder key = new StringBuilder("day::text");
    for (String c : g.columns) {
      key.append(" || '|' || coalesce(").append(c).append(", 'null')");
    }
    return SpendSql.map(
        s,
        "SELECT "
            + key
            + ", requests || '/' || input_tokens || '/' || output_tokens || '/' || cost_nanos"
            + " FROM "
            + g.table);
  }
}

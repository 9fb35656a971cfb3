package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.finished;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where the time of a per-request reservation goes (issue 18): one caller, durable commits, each
 * step timed separately over many iterations. Not a test (no assertions, not run by the build):
 * {@code java -cp <test classpath> io.llmgateway.postgres.ReservePathProfile [iterations
 * [async|sync [setting=value]]]}.
 */
public final class ReservePathProfile {
  private ReservePathProfile() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 3_000;
    DatabaseConfig config = PostgresFixture.freshDatabase();
    try (Connection c =
            DriverManager.getConnection(config.jdbcUrl(), config.username(), config.password());
        Statement s = c.createStatement()) {
      database = c.getCatalog();
      // Durable, as in production (the fixture turns it off per database for test speed), unless
      // asked to leave it off (to tell the statements' own time from the WAL flush).
      if (args.length > 2) { // an experiment: a setting for the database, e.g. plan_cache_mode=x
        String[] kv = args[2].split("=");
        s.execute("ALTER DATABASE " + database + " SET " + kv[0] + " = " + kv[1]);
      }
      if (args.length < 2 || !args[1].equals("async")) {
        s.execute("ALTER DATABASE " + c.getCatalog() + " SET synchronous_commit = on");
      }
    }
    try (PostgresAdapters adapters = PostgresAdapters.start(config)) {
      PostgresBudgetLedger ledger = (PostgresBudgetLedger) adapters.stores().ledger();
      Instant now = Instant.now();
      List<BudgetLine> lines =
          List.of(
              line(teamDaily("p1", now), Money.ofUsd("100000")),
              line(
                  new CounterKey(
                      io.llmgateway.core.budget.BudgetScope.user("u1"),
                      io.llmgateway.core.budget.BudgetWindow.MONTHLY,
                      io.llmgateway.core.budget.BudgetWindow.MONTHLY
                          .periodAt(now, java.time.ZoneOffset.UTC)
                          .key()),
                  Money.ofUsd("100000")));
      Money amount = Money.ofNanos(1_000_000);
      try (Connection c = adapters.dataSource().getConnection();
          Statement st = c.createStatement()) {
        time("SELECT 1 (round trip)", n, i -> exec(st, "SELECT 1"));
        st.execute("CREATE TABLE IF NOT EXISTS profile_t (id bigint)");
        time("INSERT 1 row, durable commit", n, i -> exec(st, "INSERT INTO profile_t VALUES (1)"));
      }
      String[] ids = new String[n];
      time(
          "ledger.reserve (batcher, ledger_reserve, durable)",
          n,
          i -> {
            ids[i] = id("r");
            ledger.reserve(req(ids[i], lines, amount, now));
          });
      time(
          "ledger.settleAll of 1 (ledger_settle, V124, async commit)",
          n,
          i -> ledger.settleAll(List.of(settle(ids[i], lines, amount, now))));
      time(
          "reserve then settleAll, one after the other",
          n,
          i -> {
            String r = id("r");
            ledger.reserve(req(r, lines, amount, now));
            ledger.settleAll(List.of(settle(r, lines, amount, now)));
          });
      try (Connection c = adapters.dataSource().getConnection();
          Statement st = c.createStatement()) {
        // The settle's plan with the reservations table as it is now (V116's form: by id).
        String row = "'[{\"reservation_id\":\"" + ids[0] + "\",\"cost_nanos\":1}]'";
        var rs =
            st.executeQuery(
                "EXPLAIN UPDATE reservations res SET state = 'settled' FROM"
                    + " jsonb_populate_recordset(NULL::spend_log, CAST("
                    + row
                    + " AS jsonb)) i WHERE res.id = ANY(ARRAY['"
                    + ids[0]
                    + "']) AND res.id = i.reservation_id AND res.state = 'held'");
        while (rs.next()) {
          System.out.println("  " + rs.getString(1));
        }
      }
      BudgetLedger l = ledger;
      time(
          "ledger.balances (2 counters)",
          n,
          i -> l.balances(lines.stream().map(BudgetLine::counter).toList()));
    }
  }

  private static ReservationRequest req(
      String id, List<BudgetLine> lines, Money amount, Instant now) {
    return reservation(id, lines, amount, now, now.plusSeconds(900));
  }

  private static Settlement settle(String id, List<BudgetLine> lines, Money amount, Instant now) {
    return new Settlement.Settle(
        id, finished(req(id, lines, amount, now).pending(), Money.ofNanos(1_000), now));
  }

  private static void exec(Statement st, String sql) {
    try {
      st.execute(sql);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String database = "";

  /** CPU ticks (1/100 s) of this database's backends: their process titles name it. */
  private static long backendTicks() {
    long sum = 0;
    try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
      for (var p : procs.filter(q -> q.getFileName().toString().matches("\\d+")).toList()) {
        try {
          String cmd = java.nio.file.Files.readString(p.resolve("cmdline"));
          if (!cmd.startsWith("postgres:") || !cmd.contains(" " + database + " ")) {
            continue;
          }
          String[] f =
              java.nio.file.Files.readString(p.resolve("stat")).split("\\) ")[1].split(" ");
          sum += Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (java.io.IOException | RuntimeException e) {
          // gone meanwhile
        }
      }
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return sum;
  }

  private static void time(String label, int n, Consumer<Integer> step) {
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long cpu0 = threads.getCurrentThreadCpuTime();
    long pg0 = backendTicks();
    long[] t = new long[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      step.accept(i);
      t[i] = System.nanoTime() - s;
    }
    double javaCpu = (threads.getCurrentThreadCpuTime() - cpu0) / 1e3 / n;
    double pgCpu = (backendTicks() - pg0) * 1e4 / n;
    // The first fifth is warm-up.
    long[] w = Arrays.copyOfRange(t, n / 5, n);
    Arrays.sort(w);
    System.out.printf(
        "%-58s p50 %6.3f ms  p90 %6.3f ms  p99 %6.3f ms  CPU/op: caller %4.0f us, PostgreSQL"
            + " %4.0f us%n",
        label,
        w[w.length / 2] / 1e6,
        w[w.length * 9 / 10] / 1e6,
        w[w.length * 99 / 100] / 1e6,
        javaCpu,
        pgCpu);
  }
}

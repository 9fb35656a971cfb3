package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The gateway's own CPU for one leases-off reserve, apart from the HTTP stack, the upstream and
 * other processes' load: reserves one after another on a virtual thread (as one connection does)
 * against a fresh database of the test fixture, then prints this JVM's CPU per reserve by thread
 * group (from /proc/self/task). Run against a jar to compare builds (docs/PERFORMANCE.md, session
 * 13): {@code java -cp gateway-postgres/target/test-classes:<all.jar>
 * io.llmgateway.postgres.ReserveCpuBench <warm-up reserves> <measured reserves> <rounds>}.
 */
public final class ReserveCpuBench {
  private ReserveCpuBench() {}

  public static void main(String[] args) throws Exception {
    int warm = Integer.parseInt(args[0]);
    int measured = Integer.parseInt(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1;
    PostgresAdapters adapters = PostgresAdapters.start(PostgresFixture.freshDatabase());
    var ledger = adapters.stores().ledger();
    Instant now = Instant.now();
    String day = BudgetWindow.DAILY.periodAt(now, ZoneOffset.UTC).key();
    Instant end = now.plusSeconds(86_400);
    List<BudgetLine> lines =
        List.of(
            new BudgetLine(
                new CounterKey(BudgetScope.key("key_bench"), BudgetWindow.DAILY, day),
                Money.ofNanos(Long.MAX_VALUE / 4),
                end),
            new BudgetLine(
                new CounterKey(BudgetScope.team("team_bench"), BudgetWindow.DAILY, day),
                Money.ofNanos(Long.MAX_VALUE / 4),
                end),
            new BudgetLine(
                new CounterKey(BudgetScope.user("user_bench"), BudgetWindow.DAILY, day),
                Money.ofNanos(Long.MAX_VALUE / 4),
                end));
    int[] seq = {0};
    Runnable one =
        () -> {
          String id = "bench_" + (seq[0]++);
          Instant t = Instant.now();
          ReserveOutcome o =
              ledger.reserve(
                  new ReservationRequest(
                      id,
                      lines,
                      Money.ofNanos(1_000),
                      t,
                      t.plusSeconds(600),
                      TestData.pending(id, "team_bench", t)));
          if (!(o instanceof ReserveOutcome.Reserved)) {
            throw new IllegalStateException("refused: " + o);
          }
        };
    run(one, warm);
    for (int r = 1; r <= rounds; r++) {
      TreeMap<String, Long> before = ticks();
      long t0 = System.nanoTime();
      run(one, measured);
      long wall = System.nanoTime() - t0;
      TreeMap<String, Long> after = ticks();
      StringBuilder out = new StringBuilder();
      long total = 0;
      for (var e : after.entrySet()) {
        long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
        total += d;
        if (d * 10_000_000L / measured >= 5) { // at least 0.5 µs a reserve
          out.append(' ').append(e.getKey()).append('=').append(perCall(d, measured));
        }
      }
      System.out.printf(
          "round %d: %d reserves, %.0f µs wall each, jvm cpu %s µs each:%s%n",
          r, measured, wall / 1000.0 / measured, perCall(total, measured), out);
    }
    adapters.close();
    System.exit(0);
  }

  private static String perCall(long ticks, int calls) {
    return String.format("%.1f", ticks * 10_000.0 / calls); // 100 ticks a second
  }

  private static void run(Runnable one, int n) throws InterruptedException {
    Thread t =
        Thread.ofVirtual()
            .start(
                () -> {
                  for (int i = 0; i < n; i++) {
                    one.run();
                  }
                });
    t.join();
  }

  /** CPU ticks of this JVM's threads by group: carriers, C1, C2, GC, other. */
  private static TreeMap<String, Long> ticks() throws IOException {
    TreeMap<String, Long> g = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
      for (Path t : tasks.toList()) {
        String s;
        try {
          s = Files.readString(t.resolve("stat"));
        } catch (IOException gone) {
          continue;
        }
        String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')'));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
        String group =
            name.startsWith("ForkJoinPool")
                ? "carriers"
                : name.startsWith("C2")
                    ? "c2"
                    : name.startsWith("C1")
                        ? "c1"
                        : name.startsWith("GC") || name.startsWith("G1") ? "gc" : "other";
        g.merge(group, ticks, Long::sum);
      }
    }
    return g;
  }
}

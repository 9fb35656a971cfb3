package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * Four gateway processes, fifty workers each, hammer one team's daily budget through reserve and
 * settle. Zero overshoot is checked two ways: a CHECK constraint added for this test rejects any
 * write that would make committed + reserved exceed the limit (a worker would see an error), and a
 * monitor samples the counter throughout.
 */
class MultiProcessBudgetTest extends PostgresTestBase {
  static final int PROCESSES = 4;
  static final int WORKERS = 50;
  static final int REQUESTS_PER_WORKER = 15;
  static final long LIMIT_NANOS = 30_000_000L; // $0.03: roughly 40% of the demand fits

  @Test
  void fourProcessesNeverOvershootATeamsDailyBudget() throws Exception {
    Jdbi jdbi = Jdbi.create(adapters.dataSource());
    jdbi.useHandle(
        h ->
            h.execute(
                "ALTER TABLE budget_counters ADD CONSTRAINT test_zero_overshoot"
                    + " CHECK (committed_nanos + reserved_nanos <= limit_nanos)"));
    String team = TestData.id("load");

    AtomicBoolean monitoring = new AtomicBoolean(true);
    AtomicLong samples = new AtomicLong();
    AtomicLong maxUsed = new AtomicLong();
    AtomicLong minPart = new AtomicLong(Long.MAX_VALUE);
    Thread monitor =
        Thread.ofPlatform()
            .start(
                () -> {
                  while (monitoring.get()) {
                    jdbi.useHandle(
                        h ->
                            h.createQuery(
                                    "SELECT committed_nanos, reserved_nanos FROM budget_counters"
                                        + " WHERE scope_id = :team")
                                .bind("team", team)
                                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                                .findOne()
                                .ifPresent(
                                    v -> {
                                      samples.incrementAndGet();
                                      maxUsed.accumulateAndGet(v[0] + v[1], Math::max);
                                      minPart.accumulateAndGet(Math.min(v[0], v[1]), Math::min);
                                    }));
                    sleep(5);
                  }
                });

    long start = System.nanoTime();
    List<Process> processes = new ArrayList<>();
    for (int p = 0; p < PROCESSES; p++) {
      processes.add(
          Processes.start(
              List.of(
                  "hammer",
                  config.jdbcUrl(),
                  config.username(),
                  config.password(),
                  team,
                  Long.toString(LIMIT_NANOS),
                  Integer.toString(WORKERS),
                  Integer.toString(REQUESTS_PER_WORKER),
                  Integer.toString(p + 1))));
    }
    Map<String, Long> totals = new HashMap<>();
    for (Process p : processes) {
      try (BufferedReader out = Processes.stdout(p)) {
        String line;
        while ((line = out.readLine()) != null) {
          if (line.startsWith("RESULT ")) {
            for (String kv : line.substring(7).split(" ")) {
              String[] parts = kv.split("=");
              totals.merge(
                  parts[0],
                  Long.parseLong(parts[1]),
                  parts[0].equals("hammerMillis") ? Math::max : Long::sum);
            }
          }
        }
      }
      assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).isZero();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // A settle that failed closed (database too slow to answer) leaves its reservation held; the
    // sweeper charges it in full once it is overdue, as it would in production.
    long swept = adapters.stores().ledger().expire(java.time.Instant.now().plusSeconds(3600));
    monitoring.set(false);
    monitor.join();

    long[] counter =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT committed_nanos, reserved_nanos, limit_nanos FROM budget_counters"
                            + " WHERE scope_id = :team")
                    .bind("team", team)
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)})
                    .one());
    long spendSum =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT coalesce(sum(cost_nanos), 0) FROM spend_log WHERE team_id = :team")
                    .bind("team", team)
                    .mapTo(Long.class)
                    .one());
    long spendRows =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM spend_log WHERE team_id = :team")
                    .bind("team", team)
                    .mapTo(Long.class)
                    .one());
    long held =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT count(*) FROM reservations WHERE state = 'held'")
                    .mapTo(Long.class)
                    .one());

    long requests = totals.get("requests");
    long admitted = totals.get("admitted");
    long refused = totals.get("refused");
    long overshoot = Math.max(0, maxUsed.get() - LIMIT_NANOS);
    System.out.printf(
        "multi-process budget: processes=%d workers=%d requests=%d admitted=%d refused=%d"
            + " errors=%d unavailable=%d swept=%d committed=%d limit=%d maxSampledUsed=%d"
            + " samples=%d overshoot=%d"
            + " duration=%dms (slowest process's reserve/settle phase %dms) throughput=%.0f"
            + " requests/s%n",
        PROCESSES,
        PROCESSES * WORKERS,
        requests,
        admitted,
        refused,
        totals.get("errors"),
        totals.get("unavailable"),
        swept,
        counter[0],
        LIMIT_NANOS,
        maxUsed.get(),
        samples.get(),
        overshoot,
        took.toMillis(),
        totals.get("hammerMillis"),
        requests * 1000.0 / totals.get("hammerMillis"));

    assertThat(requests).isEqualTo((long) PROCESSES * WORKERS * REQUESTS_PER_WORKER);
    assertThat(totals.get("errors")).as("writes rejected by the zero-overshoot CHECK").isZero();
    assertThat(admitted + refused + totals.get("unavailable")).isEqualTo(requests);
    assertThat(admitted).isPositive();
    assertThat(refused).as("the budget ran out, so the guarantee was exercised").isPositive();
    assertThat(overshoot).isZero();
    assertThat(samples.get()).isPositive();
    assertThat(minPart.get()).isGreaterThanOrEqualTo(0);
    assertThat(counter[1]).as("nothing stays reserved").isZero();
    assertThat(counter[0]).isLessThanOrEqualTo(LIMIT_NANOS);
    assertThat(spendSum).as("spend log sums to committed").isEqualTo(counter[0]);
    assertThat(totals.get("settledNanos")).isLessThanOrEqualTo(counter[0]);
    if (swept == 0) {
      assertThat(totals.get("settledNanos")).isEqualTo(counter[0]);
    }
    assertThat(spendRows).isEqualTo(admitted);
    assertThat(held).isZero();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

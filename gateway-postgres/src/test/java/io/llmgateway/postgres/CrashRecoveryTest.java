package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.io.BufferedReader;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * A gateway process is killed with SIGKILL while it holds reservations; other instances' sweepers
 * settle them at their reserved amount after expiry, exactly once, and the totals reconcile.
 */
class CrashRecoveryTest extends PostgresTestBase {
  static final int HELD = 12;
  static final long AMOUNT = 7_000;
  static final long TTL_MILLIS = 1_500;

  @Test
  void aKilledInstancesReservationsAreChargedByAnotherInstancesSweeper() throws Exception {
    String team = TestData.id("crash");
    Process child =
        Processes.start(
            List.of(
                "hold",
                config.jdbcUrl(),
                config.username(),
                config.password(),
                team,
                "1000000",
                Integer.toString(HELD),
                Long.toString(AMOUNT),
                Long.toString(TTL_MILLIS)));
    try (BufferedReader out = Processes.stdout(child)) {
      assertThat(out.readLine()).isEqualTo("HELD " + HELD);
    }
    child.destroyForcibly(); // SIGKILL: no shutdown hook, no settle
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    Jdbi jdbi = Jdbi.create(adapters.dataSource());
    assertThat(counter(jdbi, team)).containsExactly(0L, HELD * AMOUNT);
    Instant beforeExpiry = Instant.now();
    assertThat(adapters.stores().ledger().expire(beforeExpiry.minusSeconds(10))).isZero();

    Thread.sleep(TTL_MILLIS + 200);
    // Two instances sweep at once: SKIP LOCKED splits the work, nothing is charged twice.
    try (PostgresAdapters other = PostgresAdapters.start(config)) {
      Instant now = Instant.now();
      var a = CompletableFuture.supplyAsync(() -> adapters.stores().ledger().expire(now));
      var b = CompletableFuture.supplyAsync(() -> other.stores().ledger().expire(now));
      assertThat(a.get() + b.get()).isEqualTo(HELD);
      assertThat(other.stores().ledger().expire(now)).isZero();
    }

    assertThat(counter(jdbi, team)).containsExactly(HELD * AMOUNT, 0L);
    List<SpendRecord> rows =
        adapters
            .stores()
            .spendLog()
            .query(SpendQuery.builder(PageRequest.first(100)).teamId(team).build())
            .items();
    assertThat(rows).hasSize(HELD);
    assertThat(rows)
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(SpendStatus.EXPIRED);
              assertThat(r.cost().nanos()).isEqualTo(AMOUNT);
              assertThat(r.errorCode()).contains("reservation_expired");
            });
    System.out.printf(
        "crash recovery: killed pid %d holding %d reservations; swept %d, charged %d nanos%n",
        child.pid(), HELD, rows.size(), HELD * AMOUNT);
  }

  private static List<Long> counter(Jdbi jdbi, String team) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT committed_nanos, reserved_nanos FROM budget_counters WHERE scope_id = :t")
                .bind("t", team)
                .map((rs, ctx) -> List.of(rs.getLong(1), rs.getLong(2)))
                .one());
  }
}

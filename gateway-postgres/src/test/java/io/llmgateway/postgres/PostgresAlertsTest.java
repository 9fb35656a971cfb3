package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.finished;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.pending;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts.Alert;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The V117 trigger records each threshold of a counter once per period, on every path that commits
 * spend, and the outbox's claim / retry / fail protocol.
 */
class PostgresAlertsTest extends PostgresTestBase {
  private static final Money LIMIT = Money.ofNanos(1_000);

  private BudgetLedger ledger() {
    return stores.ledger();
  }

  private PostgresAlerts alerts() {
    return adapters.alerts();
  }

  private void thresholds(String team, Integer... bp) {
    alerts()
        .setThresholds(
            new Thresholds(
                "TEAM", team, Optional.of(List.of(bp)), Optional.empty(), Optional.empty()));
  }

  /** Reserves {@code amount} on {@code counter} and settles it at {@code cost}. */
  private void spend(CounterKey counter, long amount, long cost) {
    String rid = id("r");
    ReserveOutcome o =
        ledger()
            .reserve(
                reservation(
                    rid,
                    List.of(line(counter, LIMIT)),
                    Money.ofNanos(amount),
                    NOW,
                    NOW.plusSeconds(60)));
    assertThat(o).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(
            ledger()
                .settle(
                    rid,
                    finished(pending(rid, counter.scope().id(), NOW), Money.ofNanos(cost), NOW)))
        .isTrue();
  }

  private List<Long> recorded(String team) {
    return alerts().list(Optional.of(team), Optional.empty(), 100).stream()
        .map(Alert::thresholdValue)
        .sorted()
        .toList();
  }

  @Test
  void eachThresholdIsRecordedOnceWhenCommittedSpendCrossesIt() {
    String team = id("team");
    thresholds(team, 5000, 8000, 10000);
    CounterKey counter = teamDaily(team, NOW);

    spend(counter, 400, 400); // 40 %: nothing
    assertThat(recorded(team)).isEmpty();
    spend(counter, 200, 150); // 55 %: 0.5
    assertThat(recorded(team)).containsExactly(5000L);
    spend(counter, 100, 100); // 65 %: nothing new
    spend(counter, 350, 350); // 100 %: 0.8 and 1.0 in one charge
    assertThat(recorded(team)).containsExactly(5000L, 8000L, 10000L);
    Alert full = alerts().list(Optional.of(team), Optional.empty(), 100).getFirst();
    assertThat(full.committedNanos()).isEqualTo(1_000);
    assertThat(full.limitNanos()).isEqualTo(1_000);
    assertThat(full.state()).isEqualTo("pending");
  }

  @Test
  void concurrentChargesRecordEachThresholdExactlyOnce() throws Exception {
    String team = id("team");
    thresholds(team, 2500, 5000, 7500);
    CounterKey counter = teamDaily(team, NOW);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int i = 0; i < 80; i++) {
        all.add(pool.submit(() -> spend(counter, 12, 10)));
      }
      for (Future<?> f : all) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    assertThat(recorded(team)).containsExactly(2500L, 5000L, 7500L);
  }

  @Test
  void theSweepersExpiryChargeIsCoveredToo() {
    String team = id("team");
    thresholds(team, 5000);
    CounterKey counter = teamDaily(team, NOW);
    String rid = id("r");
    ledger()
        .reserve(
            reservation(
                rid, List.of(line(counter, LIMIT)), Money.ofNanos(600), NOW, NOW.plusSeconds(1)));
    assertThat(ledger().expire(NOW.plusSeconds(2))).isPositive();
    assertThat(recorded(team)).containsExactly(5000L);
  }

  @Test
  void aNewPeriodFiresAgain() {
    String team = id("team");
    thresholds(team, 5000);
    CounterKey today = teamDaily(team, NOW);
    CounterKey tomorrow = teamDaily(team, NOW.plus(Duration.ofDays(1)));
    spend(today, 600, 600);
    spend(today, 300, 300);
    spend(tomorrow, 600, 600);
    List<Alert> all = alerts().list(Optional.of(team), Optional.empty(), 100);
    // the ledger stores periods with their zone: 2026-11-27@UTC
    assertThat(all)
        .extracting(Alert::period)
        .containsExactlyInAnyOrder(today.period() + "@UTC", tomorrow.period() + "@UTC");
  }

  @Test
  void aSoftBudgetIsAnAbsoluteAmountOfItsOwnScope() {
    String team = id("team");
    alerts()
        .setThresholds(
            new Thresholds(
                "TEAM", team, Optional.of(List.of()), Optional.of(300L), Optional.empty()));
    spend(teamDaily(team, NOW), 200, 200);
    assertThat(recorded(team)).isEmpty();
    spend(teamDaily(team, NOW), 200, 200);
    List<Alert> all = alerts().list(Optional.of(team), Optional.empty(), 100);
    assertThat(all).extracting(Alert::thresholdKind).containsExactly("soft");
    assertThat(all).extracting(Alert::thresholdValue).containsExactly(300L);
  }

  @Test
  void aClaimIsExclusiveComesBackAfterItsLeaseAndFailsAfterBoundedRetries() throws Exception {
    String team = id("team");
    thresholds(team, 5000);
    spend(teamDaily(team, NOW), 600, 600);
    long id = alerts().list(Optional.of(team), Optional.empty(), 1).getFirst().id();

    List<Alert> first = claimed(id, Duration.ofMillis(300));
    assertThat(first).hasSize(1);
    assertThat(first.getFirst().attempts()).isEqualTo(1);
    assertThat(claimed(id, Duration.ofMillis(300))).as("claimed: nobody else gets it").isEmpty();
    Thread.sleep(400);
    assertThat(claimed(id, Duration.ofMillis(300))).as("lease over: claimable again").hasSize(1);

    boolean failed =
        alerts().retryOrFail(id, List.of(), "HTTP 500", Duration.ZERO, Duration.ofHours(1), 3);
    assertThat(failed).isFalse();
    assertThat(claimed(id, Duration.ofMillis(300))).hasSize(1); // attempt 3
    failed =
        alerts()
            .retryOrFail(id, List.of("slack"), "HTTP 500", Duration.ZERO, Duration.ofHours(1), 3);
    assertThat(failed).isTrue();
    Alert a = alerts().list(Optional.of(team), Optional.of("failed"), 10).getFirst();
    assertThat(a.attempts()).isEqualTo(3);
    assertThat(a.lastError()).contains("HTTP 500");
    assertThat(a.deliveredChannels()).containsExactly("slack");
    assertThat(claimed(id, Duration.ofMillis(300))).isEmpty();
  }

  private List<Alert> claimed(long id, Duration lease) {
    return alerts().claim(1000, lease).stream().filter(a -> a.id() == id).toList();
  }

  /**
   * The trigger's cost on the hot path: settles on counters with thresholds that none of them
   * crosses, with the trigger on and disabled. Printed; asserted only loosely (shared machine).
   */
  @Test
  void measuresTheTriggersCostOnSettles() {
    Jdbi db = Jdbi.create(adapters.dataSource());
    int n = 400;
    for (int round = 0; round < 2; round++) {
      long on = settleLoop(n);
      db.useHandle(
          h -> h.execute("ALTER TABLE budget_counters DISABLE TRIGGER budget_counters_alert"));
      long off;
      try {
        off = settleLoop(n);
      } finally {
        db.useHandle(
            h -> h.execute("ALTER TABLE budget_counters ENABLE TRIGGER budget_counters_alert"));
      }
      System.out.printf(
          "PostgresAlertsTest: reserve+settle %.1f us with the alert trigger, %.1f us without"
              + " (%d each, round %d)%n",
          on / 1000.0 / n, off / 1000.0 / n, n, round);
    }
  }

  /**
   * The trigger's own cost per counter update, without commits or round trips: 5,000 counters with
   * thresholds (the next one at 50 %), each charged once by an amount that crosses nothing, in one
   * statement loop, with the trigger on and disabled.
   */
  @Test
  void measuresTheTriggersCostPerCounterUpdate() {
    Jdbi db = Jdbi.create(adapters.dataSource());
    int n = 5_000;
    for (int round = 0; round < 2; round++) {
      double on = timed(db, counters(db, n));
      String off = counters(db, n);
      db.useHandle(
          h -> h.execute("ALTER TABLE budget_counters DISABLE TRIGGER budget_counters_alert"));
      double offSeconds;
      try {
        offSeconds = timed(db, off);
      } finally {
        db.useHandle(
            h -> h.execute("ALTER TABLE budget_counters ENABLE TRIGGER budget_counters_alert"));
      }
      System.out.printf(
          "PostgresAlertsTest: counter charge %.2f us with the alert trigger (crossing nothing),"
              + " %.2f us without (%d counters each, round %d)%n",
          on * 1e6 / n, offSeconds * 1e6 / n, n, round);
    }
  }

  /** Creates n counters at 10 % of their limit, next alert at 50 %; returns the charging loop. */
  private String counters(Jdbi db, int n) {
    String prefix = id("m");
    db.useHandle(
        h ->
            h.execute(
                "INSERT INTO budget_counters (scope_kind, scope_id, time_window, period,"
                    + " committed_nanos, reserved_nanos, limit_nanos, resets_at, alert_at_nanos)"
                    + " SELECT 'TEAM', '"
                    + prefix
                    + "' || i, 'DAILY', '2026-11-27@UTC', 100, 0, 1000, now() + interval '1 day',"
                    + " 500 FROM generate_series(1, "
                    + n
                    + ") i"));
    return "DO $$ BEGIN FOR i IN 1.."
        + n
        + " LOOP UPDATE budget_counters SET committed_nanos = committed_nanos + 10"
        + " WHERE scope_kind = 'TEAM' AND scope_id = '"
        + prefix
        + "' || i AND time_window = 'DAILY' AND period = '2026-11-27@UTC'; END LOOP; END $$";
  }

  private static double timed(Jdbi db, String sql) {
    long t0 = System.nanoTime();
    db.useHandle(h -> h.execute(sql));
    return (System.nanoTime() - t0) / 1e9;
  }

  private long settleLoop(int n) {
    String team = id("team");
    thresholds(team, 5000, 8000, 10000);
    CounterKey counter = teamDaily(team, NOW);
    Money big = Money.ofNanos(1_000_000_000L);
    long started = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String rid = id("r");
      ledger()
          .reserve(
              reservation(
                  rid, List.of(line(counter, big)), Money.ofNanos(10), NOW, NOW.plusSeconds(60)));
      ledger().settle(rid, finished(pending(rid, team, NOW), Money.ofNanos(5), NOW));
    }
    return System.nanoTime() - started;
  }
}

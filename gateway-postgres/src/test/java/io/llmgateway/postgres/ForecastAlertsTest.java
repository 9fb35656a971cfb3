package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.finished;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.pending;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts.Alert;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The optional "projected to exceed" alert (V119): recorded once per scope, window and period when
 * the period's average burn rate reaches the limit by the reset, not before a tenth of the period
 * has passed, and not for a slower burn.
 */
class ForecastAlertsTest extends PostgresTestBase {
  private static final Money LIMIT = Money.ofNanos(1_000);
  private static final Instant DAY = Instant.parse("2026-11-27T00:00:00Z");

  @Test
  void aBudgetProjectedToRunOutIsRecordedOncePerPeriod() {
    PostgresAlerts alerts = adapters.alerts();
    String fast = id("team");
    String slow = id("team");
    for (String t : List.of(fast, slow)) {
      // fraction alerts off for these teams: only the forecast can record anything
      alerts.setThresholds(
          new Thresholds("TEAM", t, Optional.of(List.of()), Optional.empty(), Optional.empty()));
    }
    // The test ledger's counters reset at NOW + 1 day: the period runs from 2026-11-27T00:00Z
    // for 34.25 hours.
    spend(teamDaily(fast, NOW), 300);
    spend(teamDaily(slow, NOW), 100);

    alerts.recordForecasts(DAY.plus(Duration.ofHours(2)), 1000);
    assertThat(forecasts(fast)).as("2 h: under a tenth of the period gone, too early").isEmpty();
    alerts.recordForecasts(DAY.plus(Duration.ofHours(12)), 1000);
    assertThat(forecasts(fast)).as("300 in 12 h projects 856: fits").isEmpty();
    alerts.recordForecasts(DAY.plus(Duration.ofHours(6)), 1000);
    alerts.recordForecasts(DAY.plus(Duration.ofHours(7)), 1000);
    assertThat(forecasts(fast)).as("300 in 6 h projects 1,200: once ").hasSize(1);
    assertThat(forecasts(slow)).as("100 in 6 h projects 570").isEmpty();
    Alert a = forecasts(fast).getFirst();
    assertThat(a.committedNanos()).isEqualTo(300);
    assertThat(a.limitNanos()).isEqualTo(1_000);
    assertThat(a.crossedAt()).isEqualTo(DAY.plus(Duration.ofHours(6)));
    assertThat(a.state()).isEqualTo("pending");
  }

  private List<Alert> forecasts(String team) {
    return adapters.alerts().list(Optional.of(team), Optional.empty(), 100).stream()
        .filter(a -> a.thresholdKind().equals("forecast"))
        .toList();
  }

  private void spend(CounterKey counter, long cost) {
    String rid = id("r");
    stores
        .ledger()
        .reserve(
            reservation(
                rid, List.of(line(counter, LIMIT)), Money.ofNanos(cost), NOW, NOW.plusSeconds(60)));
    assertThat(
            stores
                .ledger()
                .settle(
                    rid,
                    finished(pending(rid, counter.scope().id(), NOW), Money.ofNanos(cost), NOW)))
        .isTrue();
  }
}

package io.llmgateway.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.postgres.PostgresAlerts.Alert;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The payloads, the projection, the idempotency id and the settings' parsing. */
class AlertMessageTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Alert alert(String period, long committed, Instant crossedAt, int attempts) {
    return new Alert(
        7,
        "USER",
        "u1",
        "DAILY",
        period,
        "fraction",
        8000,
        committed,
        3_000_000,
        Instant.parse("2026-11-28T00:00:00Z"),
        crossedAt,
        "pending",
        attempts,
        List.of(),
        Optional.empty(),
        Optional.empty());
  }

  @Test
  void theWebhookCarriesEverythingAndAProjectionFromThePeriodsRate() throws Exception {
    // 80 % spent in the first 6 hours of the day: the rest lasts 1.5 hours more
    Alert a = alert("2026-11-27@UTC", 2_400_000, Instant.parse("2026-11-27T06:00:00Z"), 1);
    JsonNode o = JSON.readTree(AlertMessage.webhook(a, Instant.parse("2026-11-27T06:00:01Z")));
    assertThat(o.path("idempotency_id").asText()).matches("alrt_[0-9a-f]{32}");
    assertThat(o.path("scope").path("kind").asText()).isEqualTo("user");
    assertThat(o.path("window").asText()).isEqualTo("daily");
    assertThat(o.path("threshold").path("fraction").decimalValue()).isEqualByComparingTo("0.8");
    assertThat(o.path("threshold").path("nanos").asLong()).isEqualTo(2_400_000);
    assertThat(o.path("spend").path("usd").asText()).isEqualTo("0.0024");
    assertThat(o.path("limit").path("nanos").asLong()).isEqualTo(3_000_000);
    assertThat(o.path("resets_at").asText()).isEqualTo("2026-11-28T00:00:00Z");
    assertThat(o.path("projected_exhaustion_at").asText()).isEqualTo("2026-11-27T07:30:00Z");
    assertThat(o.path("sent_at").asText()).isEqualTo("2026-11-27T06:00:01Z");
  }

  @Test
  void aForecastAlertSaysProjectedToExceedWithTheProjectedSpend() throws Exception {
    // $0.001 of $0.003 in the first 6 hours: $0.004 by midnight
    Alert f =
        new Alert(
            8,
            "USER",
            "u1",
            "DAILY",
            "2026-11-27@UTC",
            "forecast",
            10000,
            1_000_000,
            3_000_000,
            Instant.parse("2026-11-28T00:00:00Z"),
            Instant.parse("2026-11-27T06:00:00Z"),
            "pending",
            1,
            List.of(),
            Optional.empty(),
            Optional.empty());
    JsonNode o = JSON.readTree(AlertMessage.webhook(f, Instant.parse("2026-11-27T06:00:01Z")));
    assertThat(o.path("type").asText()).isEqualTo("budget.projected_to_exceed");
    assertThat(o.path("threshold").path("kind").asText()).isEqualTo("forecast");
    assertThat(o.path("threshold").path("projected").path("nanos").asLong()).isEqualTo(4_000_000);
    assertThat(o.path("projected_exhaustion_at").asText()).isEqualTo("2026-11-27T18:00:00Z");
    assertThat(JSON.readTree(AlertMessage.slack(f)).path("text").asText())
        .startsWith("Budget alert: user u1 is projected to exceed its daily budget")
        .contains("$0.004 projected");
    assertThat(AlertMessage.idempotencyId(f))
        .isNotEqualTo(AlertMessage.idempotencyId(alert("2026-11-27@UTC", 1, f.crossedAt(), 1)));
  }

  @Test
  void noProjectionWhenTheRateRunsPastTheResetOrTheTimeIsOutsideThePeriod() throws Exception {
    Alert slow = alert("2026-11-27@UTC", 1_500_000, Instant.parse("2026-11-27T18:00:00Z"), 1);
    assertThat(AlertMessage.projectedExhaustion(slow)).isEmpty();
    Alert outside = alert("2026-11-27@UTC", 2_400_000, Instant.parse("2026-12-06T06:00:00Z"), 1);
    assertThat(AlertMessage.projectedExhaustion(outside)).isEmpty();
    Alert noZone = alert("2026-11-27", 2_400_000, Instant.parse("2026-11-27T06:00:00Z"), 1);
    assertThat(AlertMessage.projectedExhaustion(noZone)).isEmpty();
  }

  @Test
  void theIdempotencyIdIsTheSameOnEveryAttemptAndDiffersPerPeriod() {
    Instant t = Instant.parse("2026-11-27T06:00:00Z");
    assertThat(AlertMessage.idempotencyId(alert("2026-11-27@UTC", 2_400_000, t, 1)))
        .isEqualTo(AlertMessage.idempotencyId(alert("2026-11-27@UTC", 2_900_000, t, 5)))
        .isNotEqualTo(AlertMessage.idempotencyId(alert("2026-11-28@UTC", 2_400_000, t, 1)));
  }

  @Test
  void slackGetsTextAndABlock() throws Exception {
    JsonNode o =
        JSON.readTree(
            AlertMessage.slack(
                alert("2026-11-27@UTC", 2_400_000, Instant.parse("2026-11-27T06:00:00Z"), 1)));
    assertThat(o.path("text").asText())
        .startsWith("Budget alert: user u1 reached 80% of its budget in its daily window");
    assertThat(o.path("blocks").get(0).path("type").asText()).isEqualTo("section");
  }

  @Test
  void settingsParseFractionsAndNeverEchoAUrl() {
    assertThat(AlertSettings.fractions("1.0, 0.5,0.8,0.5")).containsExactly(5000, 8000, 10000);
    assertThat(AlertSettings.fractions("")).isEmpty();
    assertThatThrownBy(() -> AlertSettings.fractions("0.00001")).hasMessageContaining("4 decimals");
    assertThatThrownBy(() -> AlertSettings.fractions("80")).hasMessageContaining("at most 1");
    assertThatThrownBy(() -> AlertSettings.fractions("0")).hasMessageContaining("above 0");
    String secretUrl = "hooks.slack.com/services/T000/B000/SECRETTOKEN";
    assertThatThrownBy(() -> AlertSettings.fromEnv(Map.of("GATEWAY_ALERT_SLACK_URL", secretUrl)))
        .hasMessageContaining("GATEWAY_ALERT_SLACK_URL")
        .hasMessageNotContaining("SECRETTOKEN");
    AlertSettings s =
        AlertSettings.fromEnv(
            Map.of(
                "GATEWAY_ALERT_THRESHOLDS", "0.5,0.9",
                "GATEWAY_ALERT_WEBHOOK_URL", "https://example.com/hook",
                "GATEWAY_ALERT_WEBHOOK_SECRET", "whsec-1",
                "GATEWAY_ALERT_RETRY_SECONDS", "600"));
    assertThat(s.thresholdsBp()).contains(List.of(5000, 9000));
    assertThat(s.anyChannel()).isTrue();
    assertThat(s.retryFor().toSeconds()).isEqualTo(600);
    assertThat(s.toString()).doesNotContain("whsec-1").doesNotContain("example.com");
  }
}

package io.llmgateway.server.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.config.ConfigFiles;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.server.support.GatewayStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tier's {@code alert_thresholds} in tiers.yaml become its team's thresholds, which its members'
 * own (USER) budget counters inherit.
 */
class TierAlertThresholdsTest {
  private static final String CHAT =
      "{\"model\":\"model-cheap\",\"max_tokens\":2000,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  @Test
  void aTiersThresholdsApplyToItsMembersBudgets(@TempDir Path dir) throws Exception {
    Path tiers = dir.resolve("tiers.yaml");
    Files.writeString(
        tiers,
        Files.readString(GatewayStack.TIERS)
            .replace("  drafting:\n", "  drafting:\n    alert_thresholds: [0.5]\n"));
    try (GatewayStack stack = GatewayStack.start()) {
      PostgresAlerts alerts = stack.adapters.alerts();
      Alerts.applyTiers(alerts, ConfigFiles.tierAlertThresholds(tiers));
      assertThat(alerts.thresholds("TEAM", "drafting").orElseThrow().fractionsBp())
          .contains(List.of(5000));
      assertThat(alerts.thresholds("TEAM", "coding")).as("no field: untouched").isEmpty();

      var issued = stack.userKey("drafting", List.of(BudgetLimit.daily(Money.ofUsd("0.002"))));
      for (int i = 0; i < 4; i++) {
        stack.stub.enqueue(StubResponse.text("ok", 10, 2000));
        assertThat(stack.post("/v1/chat/completions", issued.plaintext(), CHAT).statusCode())
            .isEqualTo(200);
      }
      stack.server.gateway().flushSettlements(Duration.ofSeconds(5));
      String user = issued.key().userId().orElseThrow();
      var recorded = alerts.list(Optional.empty(), Optional.empty(), 100);
      assertThat(recorded)
          .filteredOn(a -> a.scopeId().equals(user) && a.window().equals("DAILY"))
          .extracting(PostgresAlerts.Alert::thresholdValue)
          .containsExactly(5000L);
    }
  }

  @Test
  void aThresholdThatIsNotAFractionIsRefusedNamingTheTier(@TempDir Path dir) throws Exception {
    Path tiers = dir.resolve("tiers.yaml");
    Files.writeString(
        tiers,
        Files.readString(GatewayStack.TIERS)
            .replace("  coding:\n", "  coding:\n    alert_thresholds: [80]\n"));
    try (GatewayStack stack = GatewayStack.start()) {
      assertThatThrownBy(
              () ->
                  Alerts.applyTiers(
                      stack.adapters.alerts(), ConfigFiles.tierAlertThresholds(tiers)))
          .hasMessageContaining("tier 'coding'")
          .hasMessageContaining("at most 1");
    }
  }
}

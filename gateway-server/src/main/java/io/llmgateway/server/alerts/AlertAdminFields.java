package io.llmgateway.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import io.llmgateway.server.admin.AdminExtension;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * {@code soft_budget} and {@code alert_thresholds} on {@code /key|user|team} create and update
 * (LiteLLM accepts {@code soft_budget} there): stored as the object's alert thresholds once the
 * core has accepted the change, so whoever may change the object may set them. Thread-safe.
 */
final class AlertAdminFields implements AdminExtension {
  private final PostgresAlerts alerts;

  AlertAdminFields(PostgresAlerts alerts) {
    this.alerts = alerts;
  }

  @Override
  public Set<String> fields() {
    return Set.of(ThresholdFields.THRESHOLDS, ThresholdFields.SOFT, ThresholdFields.SOFT_DURATION);
  }

  @Override
  public void validate(JsonNode body, BiConsumer<String, String> problem) {
    ThresholdFields.read(body, problem);
  }

  @Override
  public void apply(Principal actor, String kind, String id, JsonNode body) {
    ThresholdFields f = ThresholdFields.read(body, (field, message) -> {});
    if (!f.any()) {
      return;
    }
    Thresholds old =
        alerts
            .thresholds(kind, id)
            .orElse(new Thresholds(kind, id, Optional.empty(), Optional.empty(), Optional.empty()));
    alerts.setThresholds(f.onto(old));
  }
}

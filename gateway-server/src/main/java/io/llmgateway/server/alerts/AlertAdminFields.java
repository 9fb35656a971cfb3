package io.llmgateway.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import io.llmgateway.server.admin.AdminExtension;
import java.math.BigDecimal;
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
    alerts.setThresholds(f.onto(old), Optional.of(actorName(actor)));
  }

  /**
   * {@code alerts} on a key, user or team view: the thresholds in force and where they come from
   * ({@code own}, {@code team} with its id, {@code global}, or {@code none}), and the object's own
   * soft budgets. The forecast is the view's {@code budget_forecast}.
   */
  @Override
  public void describe(String kind, String id, ObjectNode out) {
    PostgresAlerts.Resolved r = alerts.resolve(kind, id);
    ObjectNode a = out.putObject("alerts");
    ArrayNode list = a.putArray("alert_thresholds");
    r.fractionsBp().forEach(bp -> list.add(new BigDecimal(bp).movePointLeft(4)));
    a.put("source", r.source());
    a.put("source_id", r.sourceId().orElse(null));
    a.put("soft_budget_daily", r.softDailyNanos().map(n -> Money.ofNanos(n).toUsd()).orElse(null));
    a.put(
        "soft_budget_monthly",
        r.softMonthlyNanos().map(n -> Money.ofNanos(n).toUsd()).orElse(null));
  }

  /** The audit log's actor, as the core names it (master, the key's id, the person's name). */
  static String actorName(Principal actor) {
    return switch (actor) {
      case Principal.Master m -> m.name();
      case Principal.Keyed k -> k.key().id();
      case Principal.Person p -> p.name();
    };
  }
}

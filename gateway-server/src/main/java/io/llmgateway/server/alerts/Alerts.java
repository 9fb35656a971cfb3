package io.llmgateway.server.alerts;

import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import io.llmgateway.server.GatewayServer;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires budget alerts into a server being built: the global thresholds from the environment (if
 * set), the admin routes, and, when a channel is configured, this instance's deliverer, which the
 * server closes when it stops.
 */
public final class Alerts {
  private static final Logger log = LoggerFactory.getLogger(Alerts.class);

  private Alerts() {}

  public static void install(
      GatewayServer.Builder b, PostgresAlerts alerts, AlertSettings settings) {
    // Written only when it differs: a write re-evaluates every current counter at its next charge.
    Optional<List<Integer>> stored =
        alerts.thresholds(PostgresAlerts.GLOBAL, "*").flatMap(Thresholds::fractionsBp);
    if (settings.thresholdsBp().isPresent() && !settings.thresholdsBp().equals(stored)) {
      alerts.setThresholds(
          new Thresholds(
              PostgresAlerts.GLOBAL,
              "*",
              settings.thresholdsBp(),
              Optional.empty(),
              Optional.empty()));
    }
    b.routes(services -> new AlertRoutes(services, alerts));
    b.adminExtension(new AlertAdminFields(alerts));
    if (settings.anyChannel()) {
      b.closeOnStop(new AlertDelivery(alerts, settings));
      log.info("budget alerts: {}", settings);
    }
  }

  /**
   * Stores each tier's {@code alert_thresholds} from {@code config/tiers.yaml} as its team's
   * thresholds (a tier's team has the tier's name), keeping the team's soft budgets; a tier without
   * the field is left as the database has it. Only changed rows are written.
   *
   * @throws IllegalArgumentException naming the tier, for a threshold that is not a fraction
   */
  public static void applyTiers(PostgresAlerts alerts, Map<String, List<String>> tiers) {
    for (Map.Entry<String, List<String>> e : tiers.entrySet()) {
      List<Integer> bp;
      try {
        bp = AlertSettings.fractions(e.getValue());
      } catch (IllegalArgumentException ex) {
        throw new IllegalArgumentException(
            "tier '" + e.getKey() + "': alert_thresholds: " + ex.getMessage(), ex);
      }
      Thresholds old =
          alerts
              .thresholds("TEAM", e.getKey())
              .orElse(
                  new Thresholds(
                      "TEAM", e.getKey(), Optional.empty(), Optional.empty(), Optional.empty()));
      if (!old.fractionsBp().equals(Optional.of(bp))) {
        alerts.setThresholds(
            new Thresholds(
                "TEAM", e.getKey(), Optional.of(bp), old.softDailyNanos(), old.softMonthlyNanos()));
      }
    }
  }
}

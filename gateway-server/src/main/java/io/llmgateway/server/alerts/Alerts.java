package io.llmgateway.server.alerts;

import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import io.llmgateway.server.GatewayServer;
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
    settings
        .thresholdsBp()
        .ifPresent(
            bp ->
                alerts.setThresholds(
                    new Thresholds(
                        PostgresAlerts.GLOBAL,
                        "*",
                        Optional.of(bp),
                        Optional.empty(),
                        Optional.empty())));
    b.routes(services -> new AlertRoutes(services, alerts));
    if (settings.anyChannel()) {
      b.closeOnStop(new AlertDelivery(alerts, settings));
      log.info("budget alerts: {}", settings);
    }
  }
}

package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Alert;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * s8-alerts: budget alerts newest first with their delivery state, attempts and last error, so a
 * failed delivery is seen (docs/ALERTS.md). Read-only. A proxy admin or viewer sees every alert, a
 * team admin those of its teams, their members and keys. Thread-safe.
 */
final class AlertsPage extends UiPage {
  private static final int LIMIT = 200;
  private static final List<String> STATES = List.of("pending", "delivered", "failed");

  private final PostgresAlerts alerts;

  AlertsPage(Ui ui, PostgresAlerts alerts) {
    super(ui);
    this.alerts = alerts;
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    String s = ctx.queryParam("state");
    Optional<String> state = s != null && STATES.contains(s) ? Optional.of(s) : Optional.empty();
    List<Alert> found = new ArrayList<>();
    if (session.grant() instanceof Grant.TeamAdmin t) {
      for (String team : t.teamIds()) {
        found.addAll(alerts.list(Optional.of(team), state, LIMIT));
      }
      found.sort(Comparator.comparing(Alert::crossedAt).reversed());
    } else {
      found.addAll(alerts.list(Optional.empty(), state, LIMIT));
    }
    List<AlertsView.Option> options = new ArrayList<>();
    options.add(new AlertsView.Option("", "all", state.isEmpty()));
    STATES.forEach(x -> options.add(new AlertsView.Option(x, x, state.equals(Optional.of(x)))));
    ui.templates.html(
        ctx,
        status,
        "alerts",
        new AlertsView(options, found.stream().limit(LIMIT).map(this::row).toList()),
        Layout.of("alerts", "Budget alerts", session, notice, error));
  }

  private AlertsView.Row row(Alert a) {
    String threshold =
        a.thresholdKind().equals("forecast")
            ? "projected to exceed"
            : a.thresholdKind().equals("soft")
                ? "soft budget " + Fmt.usd(Money.ofNanos(a.thresholdValue()))
                : new BigDecimal(a.thresholdValue())
                        .movePointLeft(2)
                        .stripTrailingZeros()
                        .toPlainString()
                    + " %";
    return new AlertsView.Row(
        Fmt.time(a.crossedAt(), ui.zone),
        a.scopeKind().toLowerCase(Locale.ROOT),
        a.scopeId(),
        a.window().toLowerCase(Locale.ROOT) + " " + a.period(),
        threshold,
        Fmt.usd(Money.ofNanos(a.committedNanos()))
            + " of "
            + Fmt.usd(Money.ofNanos(a.limitNanos())),
        a.state(),
        a.attempts(),
        String.join(", ", a.deliveredChannels()),
        a.lastError().orElse(""));
  }
}

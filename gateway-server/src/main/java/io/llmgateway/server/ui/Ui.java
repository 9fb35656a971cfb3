package io.llmgateway.server.ui;

import io.llmgateway.core.Gateway;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import io.llmgateway.server.metrics.GatewayMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every page handler shares: the one {@link AdminService} (the same the admin API and CLI use;
 * the UI has no other path to data), the gateway (model health probes), templates, clock, budget
 * time zone and metrics. After sign-in the UI acts as the signed-in person with their session's
 * grant ({@link Principal#person}): audit entries name {@code ui:<user name>}, not {@code master}.
 * Immutable and thread-safe.
 */
final class Ui {
  final AdminService admin;
  final Gateway gateway;
  final Templates templates;
  final Clock clock;
  final ZoneId zone;
  final GatewayMetrics metrics;
  final Duration probeTimeout;
  final UiAlertFields alertFields;

  Ui(
      Gateway gateway,
      Templates templates,
      Clock clock,
      ZoneId zone,
      GatewayMetrics metrics,
      Duration probeTimeout) {
    this(
        gateway,
        templates,
        clock,
        zone,
        metrics,
        probeTimeout,
        new UiAlertFields(
            io.llmgateway.server.admin.AdminExtension.NONE, java.util.Optional.empty()));
  }

  Ui(
      Gateway gateway,
      Templates templates,
      Clock clock,
      ZoneId zone,
      GatewayMetrics metrics,
      Duration probeTimeout,
      UiAlertFields alertFields) {
    this.alertFields = alertFields;
    this.admin = gateway.admin();
    this.gateway = gateway;
    this.templates = templates;
    this.clock = clock;
    this.zone = zone;
    this.metrics = metrics;
    this.probeTimeout = probeTimeout;
  }

  /** Who the UI acts as for this session: its operator. */
  Principal actor(UiSession session) {
    return Principal.person(session.username(), session.grant());
  }

  Instant now() {
    return clock.instant();
  }

  Instant periodStart(BudgetWindow window) {
    return window.periodAt(now(), zone).start();
  }

  /** Spend totals by group since the start of the current {@code window} period. */
  Map<String, SpendTotal> totalsSince(UiSession session, SpendGroup group, BudgetWindow window) {
    Instant now = now();
    // The report's end is exclusive: one second past now takes in records settled this instant.
    List<SpendTotal> totals =
        admin.spendReport(actor(session), group, periodStart(window), now.plusSeconds(1));
    Map<String, SpendTotal> byGroup = new HashMap<>();
    totals.forEach(t -> byGroup.put(t.group(), t));
    return byGroup;
  }
}

package io.llmgateway.server.ui;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import io.llmgateway.server.admin.AdminExtension;
import java.math.BigDecimal;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * the budget alert inputs of the user, key and team edit forms ({@code alert_thresholds}, {@code
 * soft_budget} per month), read into the same JSON the admin API takes and stored by the same
 * {@link AdminExtension} after the core accepted the object's change, so validation, rights and the
 * audit event are the API's. Only a field whose value changed is written. Without PostgreSQL alerts
 * the inputs are not shown. Thread-safe.
 */
final class UiAlertFields {
  static final String THRESHOLDS = "alert_thresholds";
  static final String SOFT = "soft_budget";

  private final AdminExtension extension;
  private final Optional<PostgresAlerts> alerts;

  UiAlertFields(AdminExtension extension, Optional<PostgresAlerts> alerts) {
    this.extension = extension;
    this.alerts = alerts;
  }

  boolean enabled() {
    return alerts.isPresent();
  }

  /**
   * The inputs' current values: thresholds as {@code 0.5, 0.8} (blank: inherited, {@code none}:
   * off), the monthly soft budget in USD (blank: none).
   */
  void values(Map<String, String> v, String kind, String id) {
    Optional<Thresholds> t = alerts.flatMap(a -> a.thresholds(kind, id));
    v.put(
        THRESHOLDS,
        t.flatMap(Thresholds::fractionsBp)
            .map(
                l ->
                    l.isEmpty()
                        ? "none"
                        : l.stream()
                            .map(
                                bp ->
                                    new BigDecimal(bp)
                                        .movePointLeft(4)
                                        .stripTrailingZeros()
                                        .toPlainString())
                            .collect(Collectors.joining(", ")))
            .orElse(""));
    v.put(
        SOFT,
        t.flatMap(Thresholds::softMonthlyNanos)
            .map(n -> Money.ofNanos(n).toUsd().stripTrailingZeros().toPlainString())
            .orElse(""));
  }

  /** Where the thresholds in force come from, for the facts list. */
  String inForce(String kind, String id) {
    if (alerts.isEmpty()) {
      return "-";
    }
    PostgresAlerts.Resolved r = alerts.get().resolve(kind, id);
    String list =
        r.fractionsBp().isEmpty()
            ? "none"
            : r.fractionsBp().stream()
                .map(
                    bp ->
                        new BigDecimal(bp).movePointLeft(2).stripTrailingZeros().toPlainString()
                            + " %")
                .collect(Collectors.joining(", "));
    return list
        + switch (r.source()) {
          case "team" -> " (from team " + r.sourceId().orElse("?") + ")";
          case "global" -> " (global default)";
          default -> "";
        };
  }

  /**
   * The changed inputs as an admin API body, each problem added to the form; empty when nothing
   * changed (or alerts are off).
   */
  Optional<ObjectNode> read(Form f, String kind, String id) {
    if (alerts.isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> current = new java.util.HashMap<>();
    values(current, kind, id);
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    String t = f.text(THRESHOLDS).orElse("").strip();
    if (!t.equals(current.get(THRESHOLDS))) {
      if (t.isEmpty()) {
        body.putNull(THRESHOLDS);
      } else {
        var list = body.putArray(THRESHOLDS);
        if (!t.equalsIgnoreCase("none")) {
          for (String s : t.split(",")) {
            try {
              list.add(new BigDecimal(s.strip()));
            } catch (NumberFormatException e) {
              list.add("x"); // the extension's validation names the problem
            }
          }
        }
      }
    }
    String soft = f.text(SOFT).orElse("").strip();
    if (!soft.equals(current.get(SOFT))) {
      if (soft.isEmpty()) {
        body.putNull(SOFT);
      } else {
        try {
          body.put(SOFT, new BigDecimal(soft));
        } catch (NumberFormatException e) {
          body.put(SOFT, soft);
        }
      }
      body.put("soft_budget_duration", "monthly");
    }
    if (body.isEmpty()) {
      return Optional.empty();
    }
    extension.validate(body, (field, message) -> f.problems().add(field, message));
    return Optional.of(body);
  }

  /** Stores what {@link #read} found, after the object's own change was accepted. */
  void apply(Principal actor, String kind, String id, Optional<ObjectNode> body) {
    body.ifPresent(b -> extension.apply(actor, kind, id, b));
  }
}

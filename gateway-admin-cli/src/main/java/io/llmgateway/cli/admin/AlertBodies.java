package io.llmgateway.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.cli.CliException;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts.Alert;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/** Budget alerts between the CLI's records, the database's rows and the admin API's JSON. */
final class AlertBodies {
  private AlertBodies() {}

  /** {@code --soft-budget}: a positive USD amount. */
  static long softNanos(String usd) {
    try {
      BigDecimal d = new BigDecimal(usd.trim());
      if (d.signum() > 0) {
        return Money.ofUsd(d).nanos();
      }
    } catch (RuntimeException e) {
      // below
    }
    throw CliException.validation("--soft-budget must be a positive amount in USD, or 'none'");
  }

  /** The fields of an update body ({@code /key|user|team/update}) that make the change. */
  static void body(ObjectNode b, AlertChange c) {
    c.thresholds()
        .ifPresent(
            t -> {
              if (t.isEmpty()) {
                b.putNull("alert_thresholds");
              } else {
                var a = b.putArray("alert_thresholds");
                for (String f : t.get()) {
                  try {
                    a.add(new BigDecimal(f.trim()));
                  } catch (NumberFormatException e) {
                    throw CliException.validation(
                        "--alert-thresholds are fractions of a budget such as 0.5,0.8,1.0");
                  }
                }
              }
            });
    c.softUsd()
        .ifPresent(
            s -> {
              if (s.isEmpty()) {
                b.putNull("soft_budget");
              } else {
                b.put("soft_budget", Money.ofNanos(softNanos(s.get())).toUsd());
              }
              b.put("soft_budget_duration", c.daily() ? "daily" : "monthly");
            });
  }

  static AlertRow row(Alert a) {
    return new AlertRow(
        a.idempotencyId(),
        a.crossedAt(),
        a.scopeKind().toLowerCase(Locale.ROOT),
        a.scopeId(),
        a.window().toLowerCase(Locale.ROOT),
        a.period(),
        threshold(
            a.thresholdKind(),
            a.thresholdKind().equals("soft")
                ? Money.ofNanos(a.thresholdValue()).toUsd()
                : new BigDecimal(a.thresholdValue()).movePointLeft(4)),
        a.state(),
        a.attempts(),
        a.lastError());
  }

  /** A row of {@code GET /alert/list}. */
  static AlertRow row(JsonNode a) {
    String kind =
        switch (a.path("threshold_kind").asText()) {
          case "soft_budget" -> "soft";
          case "forecast" -> "forecast";
          default -> "fraction";
        };
    BigDecimal value =
        kind.equals("soft")
            ? a.path("soft_budget").decimalValue()
            : a.path("threshold").decimalValue();
    return new AlertRow(
        a.path("idempotency_id").asText(),
        Instant.parse(a.path("crossed_at").asText()),
        a.path("scope_kind").asText(),
        a.path("scope_id").asText(),
        a.path("window").asText(),
        a.path("period").asText(),
        threshold(kind, value),
        a.path("state").asText(),
        a.path("attempts").asInt(),
        a.path("last_error").isTextual()
            ? Optional.of(a.path("last_error").asText())
            : Optional.empty());
  }

  /** One text for both modes: {@code 80%}, {@code soft $4}, {@code forecast}. */
  private static String threshold(String kind, BigDecimal value) {
    return switch (kind) {
      case "soft" -> "soft $" + value.stripTrailingZeros().toPlainString();
      case "forecast" -> "forecast";
      default -> value.movePointRight(2).stripTrailingZeros().toPlainString() + "%";
    };
  }
}

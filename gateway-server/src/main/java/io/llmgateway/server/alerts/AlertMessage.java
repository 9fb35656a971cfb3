package io.llmgateway.server.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts.Alert;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;

/**
 * What an alert says: the webhook's JSON and Slack's message, from one outbox row. The payload's
 * {@code idempotency_id} is derived from what makes the alert unique (scope, window, period,
 * threshold), so it is the same on every attempt, from every instance, even after the outbox row
 * were re-created: receivers deduplicate on it. Schemas: docs/ALERTS.md.
 */
public final class AlertMessage {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AlertMessage() {}

  /** {@code alrt_} and 32 hex digits of SHA-256 over the alert's unique key. */
  public static String idempotencyId(Alert a) {
    return a.idempotencyId();
  }

  /** The generic webhook's body. */
  public static byte[] webhook(Alert a, Instant sentAt) {
    ObjectNode o = JSON.createObjectNode();
    o.put("type", forecast(a) ? "budget.projected_to_exceed" : "budget.threshold_crossed");
    o.put("idempotency_id", idempotencyId(a));
    ObjectNode scope = o.putObject("scope");
    scope.put("kind", a.scopeKind().toLowerCase(Locale.ROOT));
    scope.put("id", a.scopeId());
    o.put("window", a.window().toLowerCase(Locale.ROOT));
    o.put("period", a.period());
    ObjectNode t = o.putObject("threshold");
    if (a.thresholdKind().equals("soft")) {
      t.put("kind", "soft_budget");
      money(t, a.thresholdValue());
    } else if (forecast(a)) {
      t.put("kind", "forecast");
      money(t.putObject("projected"), projectedAtReset(a).orElse(a.committedNanos()));
    } else {
      t.put("kind", "fraction");
      t.put("fraction", new java.math.BigDecimal(a.thresholdValue()).movePointLeft(4));
      money(t, amount(a));
    }
    money(o.putObject("spend"), a.committedNanos());
    money(o.putObject("limit"), a.limitNanos());
    o.put("crossed_at", a.crossedAt().toString());
    o.put("resets_at", a.resetsAt().toString());
    Optional<Instant> exhaustion = projectedExhaustion(a);
    if (exhaustion.isPresent()) {
      o.put("projected_exhaustion_at", exhaustion.get().toString());
    } else {
      o.putNull("projected_exhaustion_at");
    }
    o.put("attempt", a.attempts());
    o.put("sent_at", sentAt.toString());
    return bytes(o);
  }

  /** Slack's incoming-webhook body: a {@code text} fallback and one section block. */
  public static byte[] slack(Alert a) {
    String text = sentence(a);
    String projected = projected(a);
    ObjectNode o = JSON.createObjectNode();
    o.put("text", text + projected);
    ObjectNode section = o.putArray("blocks").addObject();
    section.put("type", "section");
    ObjectNode md = section.putObject("text");
    md.put("type", "mrkdwn");
    md.put("text", "*" + text + "*" + projected + "\n`" + idempotencyId(a) + "`");
    return bytes(o);
  }

  /** An email's subject: the scope and the threshold, one line. */
  static String subject(Alert a) {
    return String.format(
        Locale.ROOT,
        "Budget alert: %s %s reached %s (%s)",
        a.scopeKind().toLowerCase(Locale.ROOT),
        a.scopeId(),
        threshold(a),
        a.window().toLowerCase(Locale.ROOT));
  }

  /** An email's plain-text body: the sentence, then each fact of the webhook payload. */
  static String mailBody(Alert a) {
    StringBuilder b = new StringBuilder(sentence(a)).append(projected(a)).append("\n\n");
    line(b, "Scope", a.scopeKind().toLowerCase(Locale.ROOT) + " " + a.scopeId());
    line(b, "Window", a.window().toLowerCase(Locale.ROOT) + " " + a.period());
    line(b, "Threshold", threshold(a));
    line(b, "Spend", "$" + usd(a.committedNanos()));
    line(b, "Limit", "$" + usd(a.limitNanos()));
    line(b, "Crossed at", a.crossedAt().toString());
    line(b, "Resets at", a.resetsAt().toString());
    line(
        b,
        "Projected exhaustion",
        projectedExhaustion(a).map(Object::toString).orElse("not before the reset"));
    line(b, "Alert id", idempotencyId(a));
    return b.toString();
  }

  private static void line(StringBuilder b, String name, String value) {
    b.append(name).append(": ").append(value).append('\n');
  }

  private static String threshold(Alert a) {
    if (forecast(a)) {
      return "a projected overrun";
    }
    return a.thresholdKind().equals("soft")
        ? "soft budget of $" + usd(a.thresholdValue())
        : new java.math.BigDecimal(a.thresholdValue())
                .movePointLeft(2)
                .stripTrailingZeros()
                .toPlainString()
            + "% of its budget";
  }

  static boolean forecast(Alert a) {
    return a.thresholdKind().equals("forecast");
  }

  /** A forecast's projected spend at the reset: spend / time gone * period length. */
  static Optional<Long> projectedAtReset(Alert a) {
    Optional<Instant> start = periodStart(a.window(), a.period());
    if (start.isEmpty() || !a.crossedAt().isAfter(start.get())) {
      return Optional.empty();
    }
    long gone = Duration.between(start.get(), a.crossedAt()).toMillis();
    long len = Duration.between(start.get(), a.resetsAt()).toMillis();
    return Optional.of(
        BigInteger.valueOf(a.committedNanos())
            .multiply(BigInteger.valueOf(len))
            .divide(BigInteger.valueOf(Math.max(1, gone)))
            .min(BigInteger.valueOf(Long.MAX_VALUE))
            .longValue());
  }

  private static String sentence(Alert a) {
    if (forecast(a)) {
      return String.format(
          Locale.ROOT,
          "Budget alert: %s %s is projected to exceed its %s budget %s: $%s of $%s spent, $%s"
              + " projected by the reset %s.",
          a.scopeKind().toLowerCase(Locale.ROOT),
          a.scopeId(),
          a.window().toLowerCase(Locale.ROOT),
          a.period(),
          usd(a.committedNanos()),
          usd(a.limitNanos()),
          usd(projectedAtReset(a).orElse(a.committedNanos())),
          a.resetsAt());
    }
    return String.format(
        Locale.ROOT,
        "Budget alert: %s %s reached %s in its %s window %s: $%s of $%s spent; resets %s.",
        a.scopeKind().toLowerCase(Locale.ROOT),
        a.scopeId(),
        threshold(a),
        a.window().toLowerCase(Locale.ROOT),
        a.period(),
        usd(a.committedNanos()),
        usd(a.limitNanos()),
        a.resetsAt());
  }

  private static String projected(Alert a) {
    return projectedExhaustion(a).map(p -> " At this rate it runs out at " + p + ".").orElse("");
  }

  /**
   * When the counter's limit is reached at the average rate of its period so far (spend divided by
   * the time since the period began); empty when that is after the reset or the rate is unknown.
   */
  static Optional<Instant> projectedExhaustion(Alert a) {
    Optional<Instant> start = periodStart(a.window(), a.period());
    if (start.isEmpty()
        || !a.crossedAt().isAfter(start.get())
        || !a.crossedAt().isBefore(a.resetsAt())
        || a.committedNanos() == 0) {
      return Optional.empty();
    }
    if (a.committedNanos() >= a.limitNanos()) {
      return Optional.of(a.crossedAt());
    }
    long elapsedMillis = Duration.between(start.get(), a.crossedAt()).toMillis();
    BigInteger more =
        BigInteger.valueOf(a.limitNanos() - a.committedNanos())
            .multiply(BigInteger.valueOf(elapsedMillis))
            .divide(BigInteger.valueOf(a.committedNanos()));
    Instant at =
        a.crossedAt().plusMillis(more.min(BigInteger.valueOf(Long.MAX_VALUE / 4)).longValue());
    return at.isBefore(a.resetsAt()) ? Optional.of(at) : Optional.empty();
  }

  /** A period key as the ledger stores it: {@code 2026-11-27@UTC} or {@code 2026-11@UTC}. */
  static Optional<Instant> periodStart(String window, String period) {
    int at = period.indexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    try {
      ZoneId zone = ZoneId.of(period.substring(at + 1));
      String key = period.substring(0, at);
      LocalDate day = window.equals("DAILY") ? LocalDate.parse(key) : YearMonth.parse(key).atDay(1);
      return Optional.of(day.atStartOfDay(zone).toInstant());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static long amount(Alert a) {
    return BigInteger.valueOf(a.limitNanos())
        .multiply(BigInteger.valueOf(a.thresholdValue()))
        .add(BigInteger.valueOf(9_999))
        .divide(BigInteger.valueOf(10_000))
        .longValue();
  }

  private static void money(ObjectNode o, long nanos) {
    o.put("usd", usd(nanos));
    o.put("nanos", nanos);
  }

  private static String usd(long nanos) {
    return Money.ofNanos(nanos).toUsdString();
  }

  private static byte[] bytes(ObjectNode o) {
    try {
      return JSON.writeValueAsBytes(o);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}

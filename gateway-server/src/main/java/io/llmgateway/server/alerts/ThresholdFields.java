package io.llmgateway.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * The alert fields of an admin body, read one way for {@code /alert/thresholds} and for {@code
 * /key|user|team} create and update: {@code alert_thresholds} (a list of fractions; {@code null}
 * inherits) and LiteLLM's {@code soft_budget} (USD, alert only; {@code null} clears it) for the
 * window of {@code soft_budget_duration}, else of {@code budget_duration} (daily: {@code 1d},
 * {@code 24h}, {@code daily}; else monthly, as {@code max_budget}); the core refuses {@code
 * budget_duration} without {@code max_budget}, hence our own field. A field left out keeps its
 * stored value.
 *
 * @param fractions absent: not given; present and empty: {@code null} (inherit)
 * @param soft absent: not given; present and empty: {@code null} (clear)
 */
record ThresholdFields(
    Optional<Optional<List<Integer>>> fractions, Optional<Optional<Long>> soft, boolean daily) {

  static final String THRESHOLDS = "alert_thresholds";
  static final String SOFT = "soft_budget";
  static final String SOFT_DURATION = "soft_budget_duration";

  boolean any() {
    return fractions.isPresent() || soft.isPresent();
  }

  /** Reads the fields, reporting every problem as (field, message). */
  static ThresholdFields read(JsonNode body, BiConsumer<String, String> problem) {
    Optional<Optional<List<Integer>>> fractions = Optional.empty();
    JsonNode list = body.get(THRESHOLDS);
    if (list != null) {
      if (list.isNull()) {
        fractions = Optional.of(Optional.empty());
      } else if (!list.isArray()) {
        problem.accept(THRESHOLDS, "alert_thresholds must be a list such as [0.5, 0.8, 1.0]");
      } else {
        List<String> items = new ArrayList<>();
        list.forEach(n -> items.add(n.isNumber() ? n.decimalValue().toPlainString() : "x"));
        try {
          fractions = Optional.of(Optional.of(AlertSettings.fractions(items)));
        } catch (IllegalArgumentException e) {
          problem.accept(THRESHOLDS, e.getMessage());
        }
      }
    }
    Optional<Optional<Long>> soft = Optional.empty();
    JsonNode s = body.get(SOFT);
    if (s != null) {
      if (s.isNull()) {
        soft = Optional.of(Optional.empty());
      } else {
        try {
          BigDecimal usd = s.decimalValue();
          if (!s.isNumber() || usd.signum() <= 0) {
            throw new IllegalArgumentException();
          }
          soft = Optional.of(Optional.of(Money.ofUsd(usd).nanos()));
        } catch (RuntimeException e) {
          problem.accept(SOFT, "soft_budget must be a positive amount in USD");
        }
      }
    }
    String duration =
        body.path(SOFT_DURATION)
            .asText(body.path("budget_duration").asText("monthly"))
            .toLowerCase(Locale.ROOT);
    if (!java.util.Set.of("daily", "1d", "24h", "monthly", "1mo", "30d").contains(duration)) {
      problem.accept(
          SOFT_DURATION, "soft_budget_duration must be daily (1d) or monthly (1mo, 30d)");
    }
    boolean daily = duration.equals("1d") || duration.equals("24h") || duration.equals("daily");
    return new ThresholdFields(fractions, soft, daily);
  }

  /** {@code old} with these fields applied. */
  Thresholds onto(Thresholds old) {
    return new Thresholds(
        old.scopeKind(),
        old.scopeId(),
        fractions.orElse(old.fractionsBp()),
        soft.isPresent() && daily ? soft.get() : old.softDailyNanos(),
        soft.isPresent() && !daily ? soft.get() : old.softMonthlyNanos());
  }
}

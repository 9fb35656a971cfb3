package io.llmgateway.server.ui;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.money.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;

/** Display formatting for the UI: dollars, percentages, times. Stateless and thread-safe. */
final class Fmt {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private Fmt() {}

  /** Dollars with at most six decimals (at least two): {@code $0.017}, {@code $1.50}. */
  static String usd(Money m) {
    BigDecimal v = m.toUsd().setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    if (v.scale() < 2) {
      v = v.setScale(2, RoundingMode.UNNECESSARY);
    }
    if (v.signum() == 0 && !m.isZero()) {
      return "<$0.000001";
    }
    return "$" + v.toPlainString();
  }

  /** The exact amount as typed in a form: {@code 0.017}. */
  static String plain(Money m) {
    return m.toUsdString();
  }

  /** Whole percent of {@code part} in {@code whole}, capped at 100 for bar widths. */
  static int percent(Money part, Money whole) {
    if (whole.isZero()) {
      return part.isZero() ? 0 : 100;
    }
    long p =
        BigDecimal.valueOf(part.nanos())
            .multiply(BigDecimal.valueOf(100))
            .divide(BigDecimal.valueOf(whole.nanos()), 0, RoundingMode.DOWN)
            .longValue();
    return (int) Math.min(100, p);
  }

  static String time(Instant t, ZoneId zone) {
    return TIME.format(t.atZone(zone));
  }

  static String limit(List<BudgetLimit> limits, BudgetWindow window) {
    return limits.stream()
        .filter(l -> l.window() == window)
        .findFirst()
        .map(l -> usd(l.limit()))
        .orElse("-");
  }

  static String plainLimit(List<BudgetLimit> limits, BudgetWindow window) {
    return limits.stream()
        .filter(l -> l.window() == window)
        .findFirst()
        .map(l -> plain(l.limit()))
        .orElse("");
  }

  static String models(List<String> models) {
    return models.isEmpty() ? "all models" : String.join(", ", models);
  }

  /**
   * A role as the admin API spells it ({@code internal_user}, {@code team_admin}): one spelling in
   * the UI, the API and the docs.
   */
  static String role(String enumName) {
    return enumName.toLowerCase(java.util.Locale.ROOT);
  }

  /** {@code value} URL-encoded for a query string: ids and filters are data, never URL syntax. */
  static String q(String value) {
    return java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8);
  }
}

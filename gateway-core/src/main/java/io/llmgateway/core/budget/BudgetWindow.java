package io.llmgateway.core.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * A calendar budget window in a configured time zone. A window is identified by its period key
 * ({@code 2026-11-27} for a day, {@code 2026-11} for a month): a new period is a new counter, so
 * nothing ever has to be reset. Thread-safe (an enum).
 */
public enum BudgetWindow {
  DAILY("daily", "1d"),
  MONTHLY("monthly", "1mo");

  private final String label;
  private final String duration;

  BudgetWindow(String label, String duration) {
    this.label = label;
    this.duration = duration;
  }

  /** Lower-case name used in JSON and messages: {@code daily}, {@code monthly}. */
  public String label() {
    return label;
  }

  /** LiteLLM's {@code budget_duration} spelling: {@code 1d}, {@code 1mo}. */
  public String litellmDuration() {
    return duration;
  }

  /** The period containing {@code instant} in {@code zone}. */
  public WindowPeriod periodAt(Instant instant, ZoneId zone) {
    LocalDate date = LocalDate.ofInstant(instant, zone);
    return switch (this) {
      case DAILY ->
          new WindowPeriod(
              this,
              date.format(DateTimeFormatter.ISO_LOCAL_DATE),
              date.atStartOfDay(zone).toInstant(),
              date.plusDays(1).atStartOfDay(zone).toInstant());
      case MONTHLY -> {
        YearMonth month = YearMonth.from(date);
        yield new WindowPeriod(
            this,
            month.toString(),
            month.atDay(1).atStartOfDay(zone).toInstant(),
            month.plusMonths(1).atDay(1).atStartOfDay(zone).toInstant());
      }
    };
  }

  /**
   * Parses {@code daily}/{@code monthly} and LiteLLM durations ({@code 1d}, {@code 24h}, {@code
   * 30d}, {@code 1mo}). Durations other than a day or a month are refused: we only keep calendar
   * windows.
   */
  public static BudgetWindow parse(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "daily", "day", "1d", "24h" -> DAILY;
      case "monthly", "month", "1mo", "30d", "1m" -> MONTHLY;
      default ->
          throw new IllegalArgumentException(
              "unsupported budget window '" + text + "': use daily (1d) or monthly (1mo, 30d)");
    };
  }
}

package io.llmgateway.postgres;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The budget alerts' rules that {@link PostgresAlerts} delegates to, kept apart to keep that class
 * small: threshold parsing, the audit snapshot of a thresholds row, and the forecast scan.
 * Stateless.
 */
final class AlertRules {
  private AlertRules() {}

  /**
   * Threshold fractions ({@code "0.5"}, {@code "0.8"} ...) as sorted distinct basis points; each in
   * (0, 1] with at most 4 decimals, at most 16. One parser for the server and the CLI.
   *
   * @throws IllegalArgumentException saying what a threshold must be
   */
  static List<Integer> fractionsBp(List<String> items) {
    if (items.size() > 16) {
      throw new IllegalArgumentException("at most 16 alert thresholds");
    }
    java.util.TreeSet<Integer> out = new java.util.TreeSet<>();
    for (String s : items) {
      java.math.BigDecimal d;
      try {
        if (s.length() > 12) {
          throw new NumberFormatException();
        }
        d = new java.math.BigDecimal(s);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "alert thresholds are fractions of a budget such as 0.5, 0.8, 1.0");
      }
      java.math.BigDecimal bp = d.movePointRight(4);
      if (d.signum() <= 0
          || d.compareTo(java.math.BigDecimal.ONE) > 0
          || bp.stripTrailingZeros().scale() > 0) {
        throw new IllegalArgumentException(
            "an alert threshold is a fraction above 0 and at most 1, with at most 4 decimals");
      }
      out.add(bp.intValueExact());
    }
    return List.copyOf(out);
  }

  /** The audit snapshot of a row: fractions as decimals, soft budgets in USD (null: none). */
  static Map<String, Object> snapshot(PostgresAlerts.Thresholds t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(
        "alert_thresholds",
        t.fractionsBp()
            .map(
                l ->
                    (Object)
                        l.stream()
                            .map(
                                bp ->
                                    new java.math.BigDecimal(bp)
                                        .movePointLeft(4)
                                        .stripTrailingZeros()
                                        .toPlainString())
                            .toList())
            .orElse("inherit"));
    m.put("soft_budget_daily", t.softDailyNanos().map(AlertRules::usd).orElse("none"));
    m.put("soft_budget_monthly", t.softMonthlyNanos().map(AlertRules::usd).orElse("none"));
    return m;
  }

  private static String usd(long nanos) {
    return io.llmgateway.core.money.Money.ofNanos(nanos).toUsdString();
  }

  /**
   * Records a {@code forecast} alert ("projected to exceed") for every current counter whose spend,
   * at its period's average rate so far, reaches its limit by the period's end, once at least
   * {@code minElapsedBp} basis points of the period have passed (early in a period one request
   * projects anything). Not for counters already at their limit (the fraction thresholds cover
   * those). At most once per scope, window and period (the outbox's unique key), whichever instance
   * scans first.
   *
   * @param now the time the projection is made for (the gateway's clock)
   * @return how many were recorded
   */
  static int recordForecasts(Db db, Instant now, int minElapsedBp) {
    return db.with(
        h ->
            h.createUpdate(
                    "INSERT INTO alert_outbox (scope_kind, scope_id, time_window, period,"
                        + " threshold_kind, threshold_value, committed_nanos, limit_nanos,"
                        + " resets_at, crossed_at)"
                        + " SELECT scope_kind, scope_id, time_window, period, 'forecast', 10000,"
                        + " committed_nanos, limit_nanos, resets_at, :now"
                        + " FROM (SELECT *, extract(epoch FROM (resets_at - starts_at)) AS len,"
                        + " extract(epoch FROM (CAST(:now AS timestamptz) - starts_at)) AS gone"
                        // the period's start from its key, as the ledger writes it:
                        // 2026-11-27@UTC (daily) or 2026-11@UTC (monthly)
                        + " FROM (SELECT *, (CASE time_window WHEN 'DAILY'"
                        + " THEN split_part(period, '@', 1)::date"
                        + " ELSE (split_part(period, '@', 1) || '-01')::date END)::timestamp"
                        + " AT TIME ZONE split_part(period, '@', 2) AS starts_at"
                        + " FROM budget_counters WHERE resets_at > :now AND limit_nanos > 0"
                        + " AND committed_nanos > 0 AND committed_nanos < limit_nanos"
                        + " AND scope_kind IN ('TEAM', 'USER', 'KEY')) c) p"
                        + " WHERE gone > 0 AND gone * 10000 >= :min * len"
                        + " AND committed_nanos::numeric * len >= limit_nanos::numeric * gone"
                        + " ON CONFLICT DO NOTHING")
                .bind("now", now)
                .bind("min", minElapsedBp)
                .execute());
  }
}

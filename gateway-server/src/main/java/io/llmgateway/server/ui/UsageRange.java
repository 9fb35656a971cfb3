package io.llmgateway.server.ui;

import io.llmgateway.core.spend.SpendSeriesQuery.Bucket;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * A Usage page range: the last 24 hours in hourly buckets, or the last 7 or 30 calendar days in
 * daily buckets, all on the local clock of the budget time zone. The range runs from the start of
 * its first bucket to the end of the bucket holding now, so every bucket is whole. Immutable.
 */
record UsageRange(
    String code, String label, Bucket bucket, List<LocalDateTime> starts, ZoneId zone) {
  static final List<String> CODES = List.of("24h", "7d", "30d");

  /** The range named {@code code} ({@code 24h}, {@code 7d}, {@code 30d}; else 24 h) ending now. */
  static UsageRange of(String code, Instant now, ZoneId zone) {
    LocalDateTime local = LocalDateTime.ofInstant(now, zone);
    return switch (code == null ? "" : code) {
      case "7d" -> days("7d", "last 7 days", 7, local, zone);
      case "30d" -> days("30d", "last 30 days", 30, local, zone);
      default -> {
        LocalDateTime last = local.truncatedTo(ChronoUnit.HOURS);
        List<LocalDateTime> starts = new ArrayList<>();
        for (int i = 23; i >= 0; i--) {
          starts.add(last.minusHours(i));
        }
        yield new UsageRange("24h", "last 24 hours", Bucket.HOUR, starts, zone);
      }
    };
  }

  private static UsageRange days(
      String code, String label, int n, LocalDateTime local, ZoneId zone) {
    LocalDateTime last = local.truncatedTo(ChronoUnit.DAYS);
    List<LocalDateTime> starts = new ArrayList<>();
    for (int i = n - 1; i >= 0; i--) {
      starts.add(last.minusDays(i));
    }
    return new UsageRange(code, label, Bucket.DAY, starts, zone);
  }

  Instant from() {
    return starts.getFirst().atZone(zone).toInstant();
  }

  /** The end of the last bucket (exclusive). */
  Instant to() {
    LocalDateTime last = starts.getLast();
    return (bucket == Bucket.HOUR ? last.plusHours(1) : last.plusDays(1)).atZone(zone).toInstant();
  }

  /** A bucket's start as epoch seconds, uPlot's x value. */
  long epochSecond(LocalDateTime start) {
    return start.atZone(zone).toEpochSecond();
  }

  /** A bucket's start as shown and exported: {@code 2026-11-27 14:00} or {@code 2026-11-27}. */
  String text(LocalDateTime start) {
    return bucket == Bucket.HOUR
        ? start.toLocalDate() + " " + start.toLocalTime()
        : start.toLocalDate().toString();
  }
}

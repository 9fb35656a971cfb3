package io.llmgateway.postgres;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The rows a spend report sums, read from the daily rollups where they can answer (V123, V125,
 * docs/POSTGRES.md "The spend log"): a range of whole days (of the budget time zone, V127, whose
 * midnights cut the range) comes from a daily rollup ({@link SpendRollups}: spend_daily or a
 * coarser one), plus the rows of those days the rollup job has not reached yet (txid at or above
 * its watermark), and each partial day at either end of {@code [from, to)} is read from spend_log,
 * whichever is fewer rows: the part inside the range (added), or the part outside it (the whole day
 * is then taken from the rollups and that part subtracted). "Today until now" is thus the rollup
 * row of today less the rows after now, i.e. none. The parts are exact provided the watermark and
 * the rollups are read in one snapshot: {@link #begin} makes the transaction REPEATABLE READ and
 * reads the watermark first.
 *
 * <p>{@link #source} exposes the caller's group columns and {@code requests, input_tokens,
 * output_tokens, cost}; a subtracted part has them negative, so a group can sum to zero requests
 * (all its rows were outside the range): callers drop it with {@code HAVING sum(requests) <> 0}.
 */
final class SpendRollupSql {
  private static final LocalDate FIRST = LocalDate.of(1970, 1, 1);
  private static final LocalDate LAST = LocalDate.of(9999, 1, 1);

  /** Rows of {@code [from, to)} read from spend_log, added (sign 1) or subtracted (-1). */
  record Segment(int sign, Instant from, Instant to) {}

  private final LocalDate d1;
  private final LocalDate d2;
  private final List<Segment> segments;
  private final long watermark;
  private final ZoneId zone;

  private SpendRollupSql(
      LocalDate d1, LocalDate d2, List<Segment> segments, long watermark, ZoneId zone) {
    this.d1 = d1;
    this.d2 = d2;
    this.segments = List.copyOf(segments);
    this.watermark = watermark;
    this.zone = zone;
  }

  /**
   * Starts the read on {@code h} (inside {@code Db.tx}): REPEATABLE READ and custom plans (the
   * tail's {@code txid >= :w} is then planned with its value: a range scan at the right edge of
   * each partition's txid b-tree, V125), then the watermark and the zone whose calendar days the
   * rollups hold (the budget time zone, V127), read in one snapshot with the rollups.
   *
   * @param dayZone the zone whose calendar days the report groups by, if it groups by day; empty
   *     for a grouping that no day boundary changes (by key, team...)
   * @param rollups false when the grouping is finer than a day (an hourly series): everything is
   *     then read from spend_log
   */
  static SpendRollupSql begin(
      Handle h, Instant from, Instant to, Optional<ZoneId> dayZone, boolean rollups) {
    h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    h.execute("SET LOCAL plan_cache_mode = force_custom_plan");
    Map<String, Object> state =
        h.createQuery(
                "SELECT coalesce((SELECT rolled_below FROM spend_rollup_state), 0) AS w,"
                    + " coalesce((SELECT budget_timezone FROM gateway_settings), 'UTC') AS zone")
            .mapToMap()
            .one();
    ZoneId rolled = ZoneId.of((String) state.get("zone"));
    // A day on another zone's clock cannot be told from the rollups' days: read spend_log.
    if (!rollups || dayZone.map(z -> !BudgetZoneSetting.same(z, rolled)).orElse(false)) {
      return raw(from, to);
    }
    SpendRollupSql layout = layout(from, to, rolled);
    if (!layout.d1.isBefore(layout.d2)) {
      return layout;
    }
    long w = ((Number) state.get("w")).longValue();
    return new SpendRollupSql(layout.d1, layout.d2, layout.segments, w, rolled);
  }

  private static SpendRollupSql raw(Instant from, Instant to) {
    return new SpendRollupSql(
        LAST, LAST, List.of(new Segment(1, from, to)), Long.MAX_VALUE, ZoneOffset.UTC);
  }

  /** {@link #layout(Instant, Instant, ZoneId)} on UTC days. */
  static SpendRollupSql layout(Instant from, Instant to) {
    return layout(from, to, ZoneOffset.UTC);
  }

  /**
   * Which whole days the rollups answer and which rows spend_log adds or subtracts (the watermark
   * is not read yet), the rollups' days being {@code zone}'s calendar days (23 or 25 hours across a
   * DST change). Package-private for SpendLogTailTest.
   */
  static SpendRollupSql layout(Instant from, Instant to, ZoneId zone) {
    List<Segment> segments = new ArrayList<>();
    // Outside the years the day arithmetic cares about (never in practice): read raw.
    Instant first = start(FIRST, zone);
    Instant last = start(LAST, zone);
    if (from.isBefore(first)) {
      segments.add(new Segment(1, from, min(to, first)));
      from = first;
    }
    if (to.isAfter(last)) {
      segments.add(new Segment(1, max(from, last), to));
      to = last;
    }
    if (!from.isBefore(to)) {
      return new SpendRollupSql(LAST, LAST, segments, Long.MAX_VALUE, zone);
    }
    LocalDate fromDay = LocalDate.ofInstant(from, zone);
    LocalDate toDay = LocalDate.ofInstant(to, zone);
    boolean fromCut = from.isAfter(start(fromDay, zone));
    boolean toCut = to.isAfter(start(toDay, zone));
    if (fromDay.equals(toDay)) {
      // Inside one day: the rows inside, or the whole day less the rows on either side.
      if (2 * seconds(from, to) <= length(fromDay, zone)) {
        segments.add(new Segment(1, from, to));
        return new SpendRollupSql(LAST, LAST, segments, Long.MAX_VALUE, zone);
      }
      Instant next = start(fromDay.plusDays(1), zone);
      if (fromCut) {
        segments.add(new Segment(-1, start(fromDay, zone), from));
      }
      segments.add(new Segment(-1, to, next));
      return new SpendRollupSql(fromDay, fromDay.plusDays(1), segments, Long.MAX_VALUE, zone);
    }
    LocalDate d1 = fromDay;
    if (fromCut) {
      Instant next = start(fromDay.plusDays(1), zone);
      if (2 * seconds(from, next) <= length(fromDay, zone)) {
        segments.add(new Segment(1, from, next));
        d1 = fromDay.plusDays(1);
      } else {
        segments.add(new Segment(-1, start(fromDay, zone), from));
      }
    }
    LocalDate d2 = toDay;
    if (toCut) {
      Instant next = start(toDay.plusDays(1), zone);
      if (2 * seconds(start(toDay, zone), to) <= length(toDay, zone)) {
        segments.add(new Segment(1, start(toDay, zone), to));
      } else {
        segments.add(new Segment(-1, to, next));
        d2 = toDay.plusDays(1);
      }
    }
    return new SpendRollupSql(d1, d2, segments, Long.MAX_VALUE, zone);
  }

  /** The spend_log rows this read adds or subtracts. */
  List<Segment> segments() {
    return segments;
  }

  private static Instant start(LocalDate day, ZoneId zone) {
    return day.atStartOfDay(zone).toInstant();
  }

  /** The day's seconds in {@code zone}. */
  private static long length(LocalDate day, ZoneId zone) {
    return seconds(start(day, zone), start(day.plusDays(1), zone));
  }

  private static long seconds(Instant a, Instant b) {
    return Duration.between(a, b).toSeconds();
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private static Instant max(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  /**
   * The union of the parts. {@code rawGroup} and {@code rollupGroup} select the same group columns
   * from spend_log and from {@code rollup} (the table {@link SpendRollups#choose} picked for the
   * columns they and {@code where} name); {@code where} (may be empty) holds conditions on key_id,
   * user_id, team_id or model.
   */
  String source(SpendRollups rollup, String rawGroup, String rollupGroup, String where) {
    String and = where.isEmpty() ? "" : " AND " + where;
    StringBuilder sql = new StringBuilder("(SELECT ");
    sql.append(rollupGroup)
        .append(
            ", requests, input_tokens + cache_read_tokens + cache_write_tokens AS input_tokens,")
        .append(" output_tokens, cost_nanos AS cost FROM ")
        .append(rollup.table())
        .append(" WHERE day >= CAST(:rd1 AS date) AND day < CAST(:rd2 AS date)")
        .append(and)
        .append(" UNION ALL SELECT ")
        .append(raw(rawGroup, 1))
        .append(" WHERE txid >= :w AND ended_at >= CAST(:rt1 AS timestamptz)")
        .append(" AND ended_at < CAST(:rt2 AS timestamptz)")
        .append(and);
    for (int i = 0; i < segments.size(); i++) {
      sql.append(" UNION ALL SELECT ")
          .append(raw(rawGroup, segments.get(i).sign()))
          .append(" WHERE ended_at >= CAST(:s")
          .append(i)
          .append("f AS timestamptz) AND ended_at < CAST(:s")
          .append(i)
          .append("t AS timestamptz)")
          .append(and);
    }
    return sql.append(") src").toString();
  }

  private static String raw(String rawGroup, int sign) {
    String s = sign < 0 ? "-" : "";
    return rawGroup
        + ", "
        + s
        + "1 AS requests, "
        + s
        + "(coalesce(input_tokens, 0) + coalesce(cache_read_tokens, 0)"
        + " + coalesce(cache_write_tokens, 0)) AS input_tokens, "
        + s
        + "coalesce(output_tokens, 0) AS output_tokens, "
        + s
        + "cost_nanos AS cost FROM spend_log";
  }

  Query bind(Query q) {
    // Without rollups d1 = d2 = far future: the rollup and tail parts are empty.
    q.bind("rd1", d1)
        .bind("rd2", d2)
        .bind("rt1", start(d1, zone))
        .bind("rt2", start(d2, zone))
        .bind("w", watermark);
    for (int i = 0; i < segments.size(); i++) {
      q.bind("s" + i + "f", segments.get(i).from()).bind("s" + i + "t", segments.get(i).to());
    }
    return q;
  }
}

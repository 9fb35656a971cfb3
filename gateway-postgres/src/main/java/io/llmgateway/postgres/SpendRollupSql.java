package io.llmgateway.postgres;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * The rows a spend report sums, read from the daily rollups where they can answer (V123,
 * docs/POSTGRES.md "The spend log"): the whole UTC days inside {@code [from, to)} come from
 * spend_daily, plus the rows of those days the rollup job has not reached yet (txid at or above its
 * watermark), and the partial days at either end from spend_log. The three parts are disjoint and
 * cover {@code [from, to)} exactly, provided the watermark and spend_daily are read in one
 * snapshot: {@link #begin} makes the transaction REPEATABLE READ and reads the watermark first.
 *
 * <p>The source exposes the caller's group columns and {@code requests, input_tokens,
 * output_tokens, cost}. Bound: {@code :from :to :rd1 :rd2 :rt1 :rt2 :w} (set by {@link #bind}).
 */
final class SpendRollupSql {
  private static final LocalDate FIRST = LocalDate.of(1970, 1, 1);
  private static final LocalDate LAST = LocalDate.of(9999, 1, 1);

  private final Instant from;
  private final Instant to;
  private final LocalDate d1;
  private final LocalDate d2;
  private final long watermark;

  private SpendRollupSql(Instant from, Instant to, LocalDate d1, LocalDate d2, long watermark) {
    this.from = from;
    this.to = to;
    this.d1 = d1;
    this.d2 = d2;
    this.watermark = watermark;
  }

  /**
   * Starts the read on {@code h} (inside {@code Db.tx}): REPEATABLE READ and custom plans (the
   * tail's {@code txid >= :w} is then planned with its value: a range scan at the right edge of each
   * partition's txid b-tree, V125), and the watermark.
   *
   * @param rollups false when the grouping cannot be told from a UTC day (a day or hour on another
   *     zone's clock): everything is then read from spend_log
   */
  static SpendRollupSql begin(Handle h, Instant from, Instant to, boolean rollups) {
    // the first whole day, and the first day not wholly inside
    LocalDate d1 = clamp(from.plus(1, ChronoUnit.DAYS).minusNanos(1));
    LocalDate d2 = clamp(to);
    if (!rollups || !d1.isBefore(d2)) {
      return new SpendRollupSql(from, to, LAST, LAST, Long.MAX_VALUE);
    }
    h.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
    h.execute("SET LOCAL plan_cache_mode = force_custom_plan");
    long w =
        h.createQuery("SELECT coalesce((SELECT rolled_below FROM spend_rollup_state), 0)")
            .mapTo(Long.class)
            .one();
    return new SpendRollupSql(from, to, d1, d2, w);
  }

  /** Whether a group on the zone's calendar days can come from UTC-day rollups. */
  static boolean utc(ZoneId zone) {
    return zone.normalized().equals(ZoneOffset.UTC);
  }

  /** The UTC day of {@code at}, within the years PostgreSQL and the partitions care about. */
  private static LocalDate clamp(Instant at) {
    if (at.isBefore(FIRST.atStartOfDay(ZoneOffset.UTC).toInstant())) {
      return FIRST;
    }
    if (at.isAfter(LAST.atStartOfDay(ZoneOffset.UTC).toInstant())) {
      return LAST;
    }
    return LocalDate.ofInstant(at, ZoneOffset.UTC);
  }

  /**
   * The union of the three parts. {@code rawGroup} and {@code rollupGroup} select the same group
   * columns from spend_log and spend_daily; {@code where} (may be empty) holds conditions on
   * key_id, user_id, team_id or model, which both tables have.
   */
  static String source(String rawGroup, String rollupGroup, String where) {
    String and = where.isEmpty() ? "" : " AND " + where;
    String raw =
        rawGroup
            + ", 1 AS requests, coalesce(input_tokens, 0) + coalesce(cache_read_tokens, 0)"
            + " + coalesce(cache_write_tokens, 0) AS input_tokens,"
            + " coalesce(output_tokens, 0) AS output_tokens, cost_nanos AS cost FROM spend_log";
    return "(SELECT "
        + rollupGroup
        + ", requests, input_tokens + cache_read_tokens + cache_write_tokens AS input_tokens,"
        + " output_tokens, cost_nanos AS cost FROM spend_daily WHERE day >= CAST(:rd1 AS date) AND day < CAST(:rd2 AS date)"
        + and
        + " UNION ALL SELECT "
        + raw
        + " WHERE ended_at >= CAST(:from AS timestamptz) AND ended_at < least(CAST(:rt1 AS timestamptz), CAST(:to AS timestamptz))"
        + and
        + " UNION ALL SELECT "
        + raw
        + " WHERE ended_at >= greatest(CAST(:rt2 AS timestamptz), CAST(:from AS timestamptz)) AND ended_at < CAST(:to AS timestamptz)"
        + and
        + " UNION ALL SELECT "
        + raw
        + " WHERE txid >= :w AND ended_at >= CAST(:rt1 AS timestamptz) AND ended_at < CAST(:rt2 AS timestamptz)"
        + and
        + ") src";
  }

  Query bind(Query q) {
    // Without rollups rd1 = rd2 and rt1 = rt2 = far future: the first edge is all of [from, to).
    Instant t1 = d1.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant t2 = d2.atStartOfDay(ZoneOffset.UTC).toInstant();
    return q.bind("from", from)
        .bind("to", to)
        .bind("rd1", d1)
        .bind("rd2", d2)
        .bind("rt1", t1)
        .bind("rt2", t2)
        .bind("w", watermark);
  }
}

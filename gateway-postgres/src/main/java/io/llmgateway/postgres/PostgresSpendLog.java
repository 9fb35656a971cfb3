package io.llmgateway.postgres;

import io.llmgateway.core.Page;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendBucket;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendLog;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendScope;
import io.llmgateway.core.spend.SpendSeriesQuery;
import io.llmgateway.core.spend.SpendTotal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.jdbi.v3.core.statement.Query;

/**
 * Reads the spend log. Rows are written only by the ledger's settle and expire, in the same
 * transaction as the counters. Thread-safe.
 */
final class PostgresSpendLog implements SpendLog {
  private final Db db;

  PostgresSpendLog(Db db) {
    this.db = db;
  }

  @Override
  public Page<SpendRecord> query(SpendQuery q) {
    List<String> where = new ArrayList<>();
    q.keyId().ifPresent(v -> where.add("key_id = :key"));
    q.userId().ifPresent(v -> where.add("user_id = :user"));
    q.teamId().ifPresent(v -> where.add("team_id = :team"));
    q.model().ifPresent(v -> where.add("model = :model"));
    q.requestId().ifPresent(v -> where.add("request_id = :request"));
    q.from().ifPresent(v -> where.add("ended_at >= :from"));
    q.to().ifPresent(v -> where.add("ended_at < :to"));
    String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    return db.with(
        h -> {
          Query count = bind(h.createQuery("SELECT count(*) FROM spend_log" + clause), q);
          Query select =
              bind(
                  h.createQuery(
                      "SELECT * FROM spend_log"
                          + clause
                          + " ORDER BY ended_at DESC, id DESC LIMIT :limit OFFSET :offset"),
                  q);
          long total = count.mapTo(Long.class).one();
          List<SpendRecord> items =
              select
                  .bind("limit", q.page().size())
                  .bind("offset", q.page().offset())
                  .map(SpendRows::map)
                  .list();
          return new Page<>(items, total, q.page());
        });
  }

  /** Rows fetched per round trip by an export's cursor: the most it holds in memory. */
  static final int EXPORT_FETCH = 500;

  /**
   * A server-side cursor (pgjdbc fetches {@link #EXPORT_FETCH} rows at a time inside a
   * transaction), in end-time order over the partitions' (ended_at, reservation_id) index. The
   * connection is held until the last row is handed on. What the sink throws (a client gone) ends
   * the read and is rethrown as it is, not as a database failure.
   */
  @Override
  public void export(Instant from, Instant to, Consumer<SpendRecord> sink) {
    RuntimeException[] failed = new RuntimeException[1];
    db.jdbc(
        c -> {
          c.setAutoCommit(false);
          try (PreparedStatement p =
              c.prepareStatement(
                  "SELECT * FROM spend_log WHERE ended_at >= ? AND ended_at < ?"
                      + " ORDER BY ended_at, reservation_id")) {
            p.setFetchSize(EXPORT_FETCH);
            p.setObject(1, OffsetDateTime.ofInstant(from, ZoneOffset.UTC));
            p.setObject(2, OffsetDateTime.ofInstant(to, ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
              while (rs.next() && failed[0] == null) {
                SpendRecord r = SpendRows.map(rs, null);
                try {
                  sink.accept(r);
                } catch (RuntimeException e) {
                  failed[0] = e;
                }
              }
            }
          } finally {
            c.rollback(); // read only: nothing to keep
            c.setAutoCommit(true);
          }
          return null;
        },
        name -> "");
    if (failed[0] != null) {
      throw failed[0];
    }
  }

  private static Query bind(Query s, SpendQuery q) {
    q.keyId().ifPresent(v -> s.bind("key", v));
    q.userId().ifPresent(v -> s.bind("user", v));
    q.teamId().ifPresent(v -> s.bind("team", v));
    q.model().ifPresent(v -> s.bind("model", v));
    q.requestId().ifPresent(v -> s.bind("request", v));
    q.from().ifPresent(v -> s.bind("from", v));
    q.to().ifPresent(v -> s.bind("to", v));
    return s;
  }

  /** Rows without a user or team are grouped under this label. */
  static final String NONE = "(none)";

  @Override
  public List<SpendTotal> report(
      SpendGroup group, Instant from, Instant to, ZoneId zone, SpendScope scope) {
    String key =
        switch (group) {
          case TEAM -> "coalesce(team_id, '" + NONE + "')";
          case USER -> "coalesce(user_id, '" + NONE + "')";
          case KEY -> "key_id";
          case MODEL -> "model";
          case DAY -> dayExpression(zone);
        };
    String rollupKey = group == SpendGroup.DAY ? "to_char(day, 'YYYY-MM-DD')" : key;
    // By day: the rollups answer when their days are this zone's (V127: the budget zone's).
    Optional<ZoneId> dayZone = group == SpendGroup.DAY ? Optional.of(zone) : Optional.empty();
    List<String> where = new ArrayList<>();
    Set<SpendRollups.Column> columns = EnumSet.copyOf(SpendRollups.Column.of(group));
    scope.teamIds().ifPresent(t -> where.add("team_id = ANY(:teams)"));
    scope.teamIds().ifPresent(t -> columns.add(SpendRollups.Column.TEAM));
    scope.userId().ifPresent(u -> where.add("user_id = :user"));
    scope.userId().ifPresent(u -> columns.add(SpendRollups.Column.USER));
    SpendRollups rollup = SpendRollups.choose(columns);
    return db.tx(
        h -> {
          SpendRollupSql parts = SpendRollupSql.begin(h, from, to, dayZone, true);
          String source =
              parts.source(
                  rollup, key + " AS grp", rollupKey + " AS grp", String.join(" AND ", where));
          // (a group summing to no requests had only rows a partial day subtracted)
          Query query =
              parts.bind(
                  h.createQuery(
                      "SELECT grp, sum(requests)::bigint AS requests,"
                          + " sum(input_tokens)::bigint AS input_tokens,"
                          + " sum(output_tokens)::bigint AS output_tokens,"
                          + " sum(cost)::bigint AS cost FROM "
                          + source
                          + " GROUP BY 1 HAVING sum(requests) <> 0 ORDER BY cost DESC, grp"));
          scope.teamIds().ifPresent(t -> query.bind("teams", t.toArray(String[]::new)));
          scope.userId().ifPresent(u -> query.bind("user", u));
          if (group == SpendGroup.DAY && !(zone.normalized() instanceof ZoneOffset)) {
            query.bind("zone", zone.getId());
          }
          return query
              .map(
                  (rs, ctx) ->
                      new SpendTotal(
                          rs.getString("grp"),
                          rs.getLong("requests"),
                          rs.getLong("input_tokens"),
                          rs.getLong("output_tokens"),
                          Money.ofNanos(rs.getLong("cost"))))
              .list();
        });
  }

  /**
   * Grouped in SQL: {@code date_trunc} of {@code ended_at} on the zone's local clock (a region id
   * goes to PostgreSQL's tz database as a bound parameter; a fixed offset is added as a bound
   * number of seconds, for the sign reason given at {@link #dayExpression}). Every value is bound.
   */
  @Override
  public List<SpendBucket> series(SpendSeriesQuery q, ZoneId zone) {
    boolean offset = zone.normalized() instanceof ZoneOffset;
    String local =
        offset
            ? "(ended_at AT TIME ZONE 'UTC') + make_interval(secs => :offset)"
            : "(ended_at AT TIME ZONE :zone)";
    String group =
        q.by()
            .map(
                g ->
                    switch (g) {
                      case TEAM -> "coalesce(team_id, '" + NONE + "')";
                      case USER -> "coalesce(user_id, '" + NONE + "')";
                      case KEY -> "key_id";
                      case MODEL -> "model";
                      case DAY -> throw new IllegalArgumentException("DAY is the bucket");
                    })
            .orElse("'" + SpendBucket.ALL + "'");
    List<String> where = new ArrayList<>();
    Set<SpendRollups.Column> columns =
        EnumSet.copyOf(
            q.by().map(SpendRollups.Column::of).orElse(EnumSet.noneOf(SpendRollups.Column.class)));
    q.keyId().ifPresent(v -> where.add("key_id = :key"));
    q.keyId().ifPresent(v -> columns.add(SpendRollups.Column.KEY));
    q.userId().ifPresent(v -> where.add("user_id = :user"));
    q.userId().ifPresent(v -> columns.add(SpendRollups.Column.USER));
    q.teamId().ifPresent(v -> where.add("team_id = :team"));
    q.teamId().ifPresent(v -> columns.add(SpendRollups.Column.TEAM));
    q.model().ifPresent(v -> where.add("model = :model"));
    q.model().ifPresent(v -> columns.add(SpendRollups.Column.MODEL));
    SpendRollups rollup = SpendRollups.choose(columns);
    boolean daily = q.bucket() == SpendSeriesQuery.Bucket.DAY;
    return db.tx(
        h -> {
          SpendRollupSql parts =
              SpendRollupSql.begin(h, q.from(), q.to(), Optional.of(zone), daily);
          String source =
              parts.source(
                  rollup,
                  "date_trunc(:unit, "
                      + local
                      + ") AS bucket, ("
                      + group
                      + ") COLLATE \"C\" AS grp",
                  "day::timestamp AS bucket, (" + group + ") COLLATE \"C\" AS grp",
                  String.join(" AND ", where));
          String sql =
              "SELECT bucket, grp, sum(requests)::bigint AS requests,"
                  + " sum(input_tokens)::bigint AS input_tokens,"
                  + " sum(output_tokens)::bigint AS output_tokens, sum(cost)::bigint AS cost FROM "
                  + source
                  + " GROUP BY 1, 2 HAVING sum(requests) <> 0 ORDER BY 1, cost DESC, grp";
          Query query =
              parts.bind(
                  h.createQuery(sql)
                      .bind("unit", q.bucket() == SpendSeriesQuery.Bucket.HOUR ? "hour" : "day"));
          if (offset) {
            query.bind("offset", ((ZoneOffset) zone.normalized()).getTotalSeconds());
          } else {
            query.bind("zone", zone.getId());
          }
          q.keyId().ifPresent(v -> query.bind("key", v));
          q.userId().ifPresent(v -> query.bind("user", v));
          q.teamId().ifPresent(v -> query.bind("team", v));
          q.model().ifPresent(v -> query.bind("model", v));
          return query
              .map(
                  (rs, ctx) ->
                      new SpendBucket(
                          rs.getObject("bucket", LocalDateTime.class),
                          rs.getString("grp"),
                          rs.getLong("requests"),
                          rs.getLong("input_tokens"),
                          rs.getLong("output_tokens"),
                          Money.ofNanos(rs.getLong("cost"))))
              .list();
        });
  }

  /**
   * The calendar day of {@code ended_at} in {@code zone}. A region id goes to PostgreSQL's tz
   * database; a fixed offset is added by hand, because PostgreSQL reads a bare {@code +02:00} as a
   * POSIX zone, whose sign is inverted.
   */
  private static String dayExpression(ZoneId zone) {
    if (zone.normalized() instanceof ZoneOffset offset) {
      return "to_char((ended_at AT TIME ZONE 'UTC') + interval '"
          + offset.getTotalSeconds()
          + " seconds', 'YYYY-MM-DD')";
    }
    return "to_char(ended_at AT TIME ZONE :zone, 'YYYY-MM-DD')";
  }
}

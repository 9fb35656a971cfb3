package io.llmgateway.postgres;

import io.llmgateway.core.Page;
import io.llmgateway.core.Sort;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditLog;
import io.llmgateway.core.audit.AuditQuery;
import java.util.ArrayList;
import java.util.List;

/** The append-only audit log in PostgreSQL (no update or delete path exists). Thread-safe. */
final class PostgresAuditLog implements AuditLog {
  private final Db db;

  PostgresAuditLog(Db db) {
    this.db = db;
  }

  @Override
  public void append(AuditEvent e) {
    db.tx(
        h ->
            h.createUpdate(
                    "INSERT INTO audit_log (id, at, actor, action, target_type, target_id, before,"
                        + " after) VALUES (:id, :at, :actor, :action, :type, :target,"
                        + " CAST(:before AS jsonb), CAST(:after AS jsonb))")
                .bind("id", e.id())
                .bind("at", e.at())
                .bind("actor", e.actor())
                .bind("action", e.action())
                .bind("type", e.targetType())
                .bind("target", e.targetId())
                .bind("before", Json.write(e.before()))
                .bind("after", Json.write(e.after()))
                .execute(),
        constraint -> "audit event '" + e.id() + "' already exists");
  }

  @Override
  public Page<AuditEvent> list(AuditQuery q) {
    List<String> where = new ArrayList<>();
    q.targetType().ifPresent(v -> where.add("target_type = :type"));
    q.actor().ifPresent(v -> where.add("actor = :actor"));
    q.action().ifPresent(v -> where.add("action = :action"));
    q.from().ifPresent(v -> where.add("at >= :from"));
    q.to().ifPresent(v -> where.add("at < :to"));
    q.search()
        .ifPresent(
            v -> where.add(ListSql.searchCondition(List.of("actor", "action", "target_id"))));
    String filter = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    return db.with(
        h -> {
          var count = h.createQuery("SELECT count(*) FROM audit_log" + filter);
          var select =
              h.createQuery(
                  "SELECT * FROM audit_log"
                      + filter
                      + " "
                      + orderBy(q.sort())
                      + "LIMIT :limit OFFSET :offset");
          for (var stmt : List.of(count, select)) {
            q.targetType().ifPresent(v -> stmt.bind("type", v));
            q.actor().ifPresent(v -> stmt.bind("actor", v));
            q.action().ifPresent(v -> stmt.bind("action", v));
            q.from().ifPresent(v -> stmt.bind("from", v));
            q.to().ifPresent(v -> stmt.bind("to", v));
            q.search().ifPresent(v -> stmt.bind(ListSql.SEARCH, ListSql.containsPattern(v)));
          }
          long total = count.mapTo(Long.class).one();
          List<AuditEvent> items =
              select
                  .bind("limit", q.page().size())
                  .bind("offset", q.page().offset())
                  .map(
                      (rs, ctx) ->
                          new AuditEvent(
                              rs.getString("id"),
                              Rows.instant(rs, "at"),
                              rs.getString("actor"),
                              rs.getString("action"),
                              rs.getString("target_type"),
                              rs.getString("target_id"),
                              Json.read(rs.getString("before")),
                              Json.read(rs.getString("after"))))
                  .list();
          return new Page<>(items, total, q.page());
        });
  }

  /**
   * The ORDER BY for a sort: columns only from this switch over the enum (an allow-list), text by
   * code point as in memory; ties newest first by {@code seq} (append order), for a time sort in
   * the asked direction. Every column is NOT NULL, so there is no NULLS clause to agree on.
   */
  private static String orderBy(Sort<AuditQuery.By> sort) {
    String dir = sort.descending() ? " DESC" : " ASC";
    return switch (sort.field()) {
      case TIME -> "ORDER BY at" + dir + ", seq" + dir + " ";
      case ACTOR -> "ORDER BY " + ListSql.text("actor") + dir + ", seq DESC ";
      case ACTION -> "ORDER BY " + ListSql.text("action") + dir + ", seq DESC ";
      case TARGET ->
          "ORDER BY "
              + ListSql.text("target_type")
              + dir
              + ", "
              + ListSql.text("target_id")
              + dir
              + ", seq DESC ";
    };
  }
}

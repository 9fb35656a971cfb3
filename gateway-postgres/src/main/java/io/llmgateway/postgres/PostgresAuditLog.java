package io.llmgateway.postgres;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.audit.AuditLog;
import java.util.List;
import java.util.Optional;

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
  public Page<AuditEvent> list(Optional<String> targetType, PageRequest page) {
    String where = targetType.isPresent() ? " WHERE target_type = :type" : "";
    return db.with(
        h -> {
          var count = h.createQuery("SELECT count(*) FROM audit_log" + where);
          var select =
              h.createQuery(
                  "SELECT * FROM audit_log"
                      + where
                      + " ORDER BY at DESC, seq DESC LIMIT :limit OFFSET :offset");
          targetType.ifPresent(
              t -> {
                count.bind("type", t);
                select.bind("type", t);
              });
          long total = count.mapTo(Long.class).one();
          List<AuditEvent> items =
              select
                  .bind("limit", page.size())
                  .bind("offset", page.offset())
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
          return new Page<>(items, total, page);
        });
  }
}

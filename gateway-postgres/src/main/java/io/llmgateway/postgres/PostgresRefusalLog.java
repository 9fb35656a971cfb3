package io.llmgateway.postgres;

import io.llmgateway.core.Page;
import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.requestlog.RefusalQuery;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/**
 * The request log's refused requests in {@code request_refusals} (V111). A batch is one transaction
 * committed without waiting for the WAL flush: a refusal is not money, and a crash may lose the
 * last few milliseconds of them rather than make every batch wait on the disk. Thread-safe.
 */
final class PostgresRefusalLog implements RefusalLog {
  private static final String INSERT =
      "INSERT INTO request_refusals (request_id, at, status, reason, detail, key_id, user_id,"
          + " team_id, model, client, latency_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private final Db db;

  PostgresRefusalLog(Db db) {
    this.db = db;
  }

  @Override
  public void append(List<Refusal> batch) {
    if (batch.isEmpty()) {
      return;
    }
    db.jdbc(
        c -> {
          c.setAutoCommit(false);
          try {
            try (Statement s = c.createStatement()) {
              s.execute("SET LOCAL synchronous_commit = off");
            }
            try (PreparedStatement ps = c.prepareStatement(INSERT)) {
              for (Refusal r : batch) {
                ps.setString(1, r.requestId());
                ps.setTimestamp(2, Timestamp.from(r.at()));
                ps.setInt(3, r.status());
                ps.setString(4, r.reason());
                text(ps, 5, r.detail());
                text(ps, 6, r.keyId());
                text(ps, 7, r.userId());
                text(ps, 8, r.teamId());
                text(ps, 9, r.model());
                text(ps, 10, r.client());
                ps.setLong(11, r.latencyMillis());
                ps.addBatch();
              }
              ps.executeBatch();
            }
            c.commit();
            return null;
          } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
          } finally {
            c.setAutoCommit(true);
          }
        },
        name -> "");
  }

  private static void text(PreparedStatement ps, int i, Optional<String> v) throws SQLException {
    if (v.isPresent()) {
      // PostgreSQL text cannot hold NUL; a hostile model name must not cost the batch.
      ps.setString(i, v.get().replace('\0', '\uFFFD'));
    } else {
      ps.setNull(i, Types.VARCHAR);
    }
  }

  @Override
  public Page<Refusal> query(RefusalQuery q) {
    List<String> where = new ArrayList<>();
    q.keyId().ifPresent(v -> where.add("key_id = :key"));
    q.userId().ifPresent(v -> where.add("user_id = :user"));
    q.teamId().ifPresent(v -> where.add("team_id = :team"));
    q.model().ifPresent(v -> where.add("model = :model"));
    q.reason().ifPresent(v -> where.add("reason = :reason"));
    q.from().ifPresent(v -> where.add("at >= :from"));
    q.to().ifPresent(v -> where.add("at < :to"));
    String clause = where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where);
    return db.with(
        h -> {
          long total =
              bind(h.createQuery("SELECT count(*) FROM request_refusals" + clause), q)
                  .mapTo(Long.class)
                  .one();
          List<Refusal> items =
              bind(
                      h.createQuery(
                          "SELECT * FROM request_refusals"
                              + clause
                              + " ORDER BY at DESC, request_id LIMIT :limit OFFSET :offset"),
                      q)
                  .bind("limit", q.page().size())
                  .bind("offset", q.page().offset())
                  .map((rs, ctx) -> row(rs))
                  .list();
          return new Page<>(items, total, q.page());
        });
  }

  private static Query bind(Query s, RefusalQuery q) {
    q.keyId().ifPresent(v -> s.bind("key", v));
    q.userId().ifPresent(v -> s.bind("user", v));
    q.teamId().ifPresent(v -> s.bind("team", v));
    q.model().ifPresent(v -> s.bind("model", v));
    q.reason().ifPresent(v -> s.bind("reason", v));
    q.from().ifPresent(v -> s.bind("from", v));
    q.to().ifPresent(v -> s.bind("to", v));
    return s;
  }

  private static Refusal row(ResultSet rs) throws SQLException {
    return new Refusal(
        rs.getString("request_id"),
        rs.getTimestamp("at").toInstant(),
        rs.getInt("status"),
        rs.getString("reason"),
        Optional.ofNullable(rs.getString("detail")),
        Optional.ofNullable(rs.getString("key_id")),
        Optional.ofNullable(rs.getString("user_id")),
        Optional.ofNullable(rs.getString("team_id")),
        Optional.ofNullable(rs.getString("model")),
        Optional.ofNullable(rs.getString("client")),
        rs.getLong("latency_ms"));
  }

  @Override
  public int purgeBefore(Instant before, int limit) {
    // Bounded: one short statement per batch, never one long delete holding the table.
    return db.with(
        h ->
            h.createUpdate(
                    "DELETE FROM request_refusals WHERE id IN (SELECT id FROM request_refusals"
                        + " WHERE at < :before ORDER BY at LIMIT :limit)")
                .bind("before", before)
                .bind("limit", limit)
                .execute());
  }
}

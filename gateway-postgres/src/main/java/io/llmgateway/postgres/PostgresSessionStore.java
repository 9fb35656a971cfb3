package io.llmgateway.postgres;

import io.llmgateway.core.session.SessionStore;
import io.llmgateway.core.session.UiSession;
import java.time.Instant;
import java.util.Optional;

/**
 * Admin UI sessions and failed sign-ins in PostgreSQL (tables of migrations V100 and V109), so a
 * session works on every instance and signing out anywhere ends it everywhere. Thread-safe.
 */
final class PostgresSessionStore implements SessionStore {
  private final Db db;

  PostgresSessionStore(Db db) {
    this.db = db;
  }

  @Override
  public void create(UiSession s) {
    db.tx(
        h ->
            h.createUpdate(
                    "INSERT INTO ui_sessions"
                        + " (id_hash, username, credential, csrf_token, created_at, expires_at)"
                        + " VALUES (:id, :user, :credential, :csrf, :created, :expires)")
                .bind("id", s.idHash())
                .bind("user", s.username())
                .bind("credential", s.credential())
                .bind("csrf", s.csrfToken())
                .bind("created", s.createdAt())
                .bind("expires", s.expiresAt())
                .execute(),
        constraint -> "session already exists");
  }

  @Override
  public Optional<UiSession> find(String idHash, Instant now) {
    return db.with(
        h ->
            h.createQuery("SELECT * FROM ui_sessions WHERE id_hash = :id AND expires_at > :now")
                .bind("id", idHash)
                .bind("now", now)
                .map(
                    (rs, ctx) ->
                        new UiSession(
                            rs.getString("id_hash"),
                            rs.getString("username"),
                            rs.getString("credential"),
                            rs.getString("csrf_token"),
                            Rows.instant(rs, "created_at"),
                            Rows.instant(rs, "expires_at")))
                .findOne());
  }

  @Override
  public void extend(String idHash, Instant expiresAt) {
    db.with(
        h ->
            h.createUpdate(
                    "UPDATE ui_sessions SET expires_at = :expires"
                        + " WHERE id_hash = :id AND created_at < :expires")
                .bind("id", idHash)
                .bind("expires", expiresAt)
                .execute());
  }

  @Override
  public boolean delete(String idHash) {
    return db.with(
            h ->
                h.createUpdate("DELETE FROM ui_sessions WHERE id_hash = :id")
                    .bind("id", idHash)
                    .execute())
        > 0;
  }

  @Override
  public int deleteAllExcept(String username, String credential) {
    return db.with(
        h ->
            h.createUpdate(
                    "DELETE FROM ui_sessions WHERE username <> :user OR credential <> :credential")
                .bind("user", username)
                .bind("credential", credential)
                .execute());
  }

  @Override
  public int sweep(Instant now, Instant failuresBefore) {
    return db.tx(
        h -> {
          h.createUpdate("DELETE FROM ui_login_failures WHERE at < :before")
              .bind("before", failuresBefore)
              .execute();
          return h.createUpdate("DELETE FROM ui_sessions WHERE expires_at <= :now")
              .bind("now", now)
              .execute();
        });
  }

  @Override
  public void recordFailure(String subject, Instant at) {
    db.with(
        h ->
            h.createUpdate("INSERT INTO ui_login_failures (subject, at) VALUES (:subject, :at)")
                .bind("subject", subject)
                .bind("at", at)
                .execute());
  }

  @Override
  public int failuresSince(String subject, Instant since) {
    return db.with(
        h ->
            h.createQuery(
                    "SELECT count(*) FROM ui_login_failures WHERE subject = :subject AND at >= :since")
                .bind("subject", subject)
                .bind("since", since)
                .mapTo(Integer.class)
                .one());
  }

  @Override
  public void clearFailures(String subject) {
    db.with(
        h ->
            h.createUpdate("DELETE FROM ui_login_failures WHERE subject = :subject")
                .bind("subject", subject)
                .execute());
  }
}

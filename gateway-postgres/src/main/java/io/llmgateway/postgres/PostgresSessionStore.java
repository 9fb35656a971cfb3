package io.llmgateway.postgres;

import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.session.SessionStore;
import io.llmgateway.core.session.UiSession;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;

/**
 * Admin UI sessions and failed sign-ins in PostgreSQL (tables of migrations V100, V109 and V110:
 * the session's {@link Grant} is stored as role, teams and user), so a session works on every
 * instance and signing out anywhere ends it everywhere. Thread-safe.
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
                    "INSERT INTO ui_sessions (id_hash, username, grant_role, grant_teams,"
                        + " grant_user, credential, csrf_token, created_at, expires_at)"
                        + " VALUES (:id, :user, :role, :teams, :grantUser, :credential, :csrf,"
                        + " :created, :expires)")
                .bind("id", s.idHash())
                .bind("user", s.username())
                .bind("role", s.grant().role())
                .bind("teams", teams(s.grant()))
                .bind("grantUser", s.grant() instanceof Grant.Member m ? m.userId() : null)
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
                            grant(rs),
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
  public int deleteAllExcept(Set<String> credentials) {
    return db.with(
        h ->
            h.createUpdate("DELETE FROM ui_sessions WHERE NOT (credential = ANY(:credentials))")
                .bind("credentials", credentials.toArray(String[]::new))
                .execute());
  }

  @Override
  public int deleteByUsername(String username) {
    return db.with(
        h ->
            h.createUpdate("DELETE FROM ui_sessions WHERE lower(username) = lower(:user)")
                .bind("user", username)
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

  private static String[] teams(Grant grant) {
    return grant instanceof Grant.TeamAdmin t ? t.teamIds().toArray(String[]::new) : new String[0];
  }

  private static Grant grant(ResultSet rs) throws SQLException {
    String role = rs.getString("grant_role");
    return switch (role) {
      case "proxy_admin" -> new Grant.ProxyAdmin();
      case "viewer" -> new Grant.Viewer();
      case "team_admin" ->
          new Grant.TeamAdmin(Set.of((String[]) rs.getArray("grant_teams").getArray()));
      case "member" -> new Grant.Member(rs.getString("grant_user"));
      default -> throw new IllegalStateException("unknown session role " + role);
    };
  }
}

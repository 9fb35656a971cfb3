package io.llmgateway.postgres;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.statement.Query;

/**
 * Budget alerts on PostgreSQL (V117): the thresholds, and the outbox the {@code budget_counters}
 * trigger writes in the transaction that commits spend. Delivery claims due rows with {@code FOR
 * UPDATE SKIP LOCKED} and moves their due time forward by a claim lease, so any instance may
 * deliver, two never claim the same row at once, and a row whose deliverer died comes back when its
 * lease ends. See docs/ALERTS.md. Thread-safe.
 */
public final class PostgresAlerts {
  /** The global default's scope: {@code alert_thresholds} row ('GLOBAL', '*'). */
  public static final String GLOBAL = "GLOBAL";

  private static final String COLUMNS = "*";

  private final Db db;

  PostgresAlerts(Db db) {
    this.db = db;
  }

  /** One recorded crossing, as stored. */
  public record Alert(
      long id,
      String scopeKind,
      String scopeId,
      String window,
      String period,
      String thresholdKind,
      long thresholdValue,
      long committedNanos,
      long limitNanos,
      Instant resetsAt,
      Instant crossedAt,
      String state,
      int attempts,
      List<String> deliveredChannels,
      Optional<String> lastError,
      Optional<Instant> finishedAt) {
    /**
     * {@code alrt_} and 32 hex digits of SHA-256 over what makes the alert unique (scope, window,
     * period, threshold): the same on every attempt and from every instance.
     */
    public String idempotencyId() {
      String key =
          String.join(
              "|",
              scopeKind,
              scopeId,
              window,
              period,
              thresholdKind,
              Long.toString(thresholdValue));
      try {
        byte[] h =
            java.security.MessageDigest.getInstance("SHA-256")
                .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return "alrt_" + java.util.HexFormat.of().formatHex(h, 0, 16);
      } catch (java.security.NoSuchAlgorithmException e) {
        throw new IllegalStateException(e);
      }
    }

    public Alert {
      deliveredChannels = List.copyOf(deliveredChannels);
      Objects.requireNonNull(lastError);
      Objects.requireNonNull(finishedAt);
    }
  }

  /**
   * A scope's thresholds row.
   *
   * @param fractionsBp fractions of each limit in basis points; empty: inherit (team, then global)
   * @param softDailyNanos LiteLLM's soft budget for the daily window (alert only)
   */
  public record Thresholds(
      String scopeKind,
      String scopeId,
      Optional<List<Integer>> fractionsBp,
      Optional<Long> softDailyNanos,
      Optional<Long> softMonthlyNanos) {
    public Thresholds {
      fractionsBp = fractionsBp.map(List::copyOf);
    }
  }

  /**
   * Threshold fractions ({@code "0.5"}, {@code "0.8"} ...) as sorted distinct basis points; each in
   * (0, 1] with at most 4 decimals, at most 16. One parser for the server and the CLI.
   *
   * @throws IllegalArgumentException saying what a threshold must be
   */
  public static List<Integer> fractionsBp(List<String> items) {
    return AlertRules.fractionsBp(items);
  }

  /** The row of {@code (kind, id)}, if one was set. */
  public Optional<Thresholds> thresholds(String kind, String id) {
    return db.with(
        h ->
            h.createQuery(
                    "SELECT scope_kind, scope_id, fractions_bp, soft_daily_nanos, soft_monthly_nanos"
                        + " FROM alert_thresholds WHERE scope_kind = :k AND scope_id = :i")
                .bind("k", kind)
                .bind("i", id)
                .map((rs, ctx) -> AlertRows.thresholds(rs))
                .findOne());
  }

  /**
   * Stores a scope's thresholds (replacing its row) and has every current counter re-evaluated at
   * its next charge; thresholds already recorded for a period stay recorded (once per period). Not
   * audited: for configuration applied at startup.
   */
  public void setThresholds(Thresholds t) {
    setThresholds(t, Optional.empty());
  }

  /**
   * {@link #setThresholds(Thresholds)} by {@code actor}, audited in the same transaction as {@code
   * alert_thresholds.update} on the scope (target type {@code key}, {@code user}, {@code team} or
   * {@code global}) with the row before and after, as every other admin change is.
   */
  public void setThresholds(Thresholds t, Optional<String> actor) {
    db.tx(
        h -> {
          Optional<Thresholds> before =
              h.createQuery(
                      "SELECT scope_kind, scope_id, fractions_bp, soft_daily_nanos,"
                          + " soft_monthly_nanos FROM alert_thresholds"
                          + " WHERE scope_kind = :k AND scope_id = :i FOR UPDATE")
                  .bind("k", t.scopeKind())
                  .bind("i", t.scopeId())
                  .map((rs, ctx) -> AlertRows.thresholds(rs))
                  .findOne();
          h.createUpdate(
                  "INSERT INTO alert_thresholds (scope_kind, scope_id, fractions_bp,"
                      + " soft_daily_nanos, soft_monthly_nanos, updated_at)"
                      + " VALUES (:k, :i, :f, :d, :m, now()) ON CONFLICT (scope_kind, scope_id)"
                      + " DO UPDATE SET fractions_bp = EXCLUDED.fractions_bp,"
                      + " soft_daily_nanos = EXCLUDED.soft_daily_nanos,"
                      + " soft_monthly_nanos = EXCLUDED.soft_monthly_nanos, updated_at = now()")
              .bind("k", t.scopeKind())
              .bind("i", t.scopeId())
              .bindByType(
                  "f",
                  t.fractionsBp().map(l -> l.toArray(Integer[]::new)).orElse(null),
                  Integer[].class)
              .bind("d", t.softDailyNanos().orElse(null))
              .bind("m", t.softMonthlyNanos().orElse(null))
              .execute();
          h.createQuery("SELECT 1 FROM alert_thresholds_changed()").mapTo(Integer.class).findOne();
          if (actor.isPresent()) {
            h.createUpdate(
                    "INSERT INTO audit_log (id, at, actor, action, target_type, target_id, before,"
                        + " after) VALUES (:id, now(), :actor, 'alert_thresholds.update', :type,"
                        + " :target, CAST(:before AS jsonb), CAST(:after AS jsonb))")
                .bind("id", io.llmgateway.core.identity.ApiKeys.newId("audit"))
                .bind("actor", actor.get())
                .bind("type", t.scopeKind().toLowerCase(java.util.Locale.ROOT))
                .bind("target", t.scopeId())
                .bind("before", Json.write(before.map(AlertRules::snapshot).orElse(Map.of())))
                .bind("after", Json.write(AlertRules.snapshot(t)))
                .execute();
          }
          return null;
        });
  }

  /**
   * The thresholds that apply to a key, user or team, resolved as the trigger resolves them.
   *
   * @param fractionsBp the fractions in force (empty: none)
   * @param source {@code own}, {@code team}, {@code global} or {@code none}: where they come from
   * @param sourceId the team's id when inherited from it (a tier is a team)
   */
  public record Resolved(
      List<Integer> fractionsBp,
      String source,
      Optional<String> sourceId,
      Optional<Long> softDailyNanos,
      Optional<Long> softMonthlyNanos) {
    public Resolved {
      fractionsBp = List.copyOf(fractionsBp);
    }
  }

  /** {@link Resolved} for {@code (kind, id)}: own, else the team's, else the global default. */
  public Resolved resolve(String kind, String id) {
    Optional<Thresholds> own = thresholds(kind, id);
    Optional<Long> daily = own.flatMap(Thresholds::softDailyNanos);
    Optional<Long> monthly = own.flatMap(Thresholds::softMonthlyNanos);
    if (own.flatMap(Thresholds::fractionsBp).isPresent()) {
      return new Resolved(own.get().fractionsBp().get(), "own", Optional.empty(), daily, monthly);
    }
    Optional<String> team =
        switch (kind) {
          case "USER" ->
              teamOf(
                  "SELECT team_id FROM team_members WHERE user_id = :id AND team_id IS NOT NULL LIMIT 1",
                  id);
          case "KEY" ->
              teamOf("SELECT team_id FROM virtual_keys WHERE id = :id AND team_id IS NOT NULL", id);
          default -> Optional.empty();
        };
    Optional<List<Integer>> fromTeam =
        team.flatMap(t -> thresholds("TEAM", t)).flatMap(Thresholds::fractionsBp);
    if (fromTeam.isPresent()) {
      return new Resolved(fromTeam.get(), "team", team, daily, monthly);
    }
    Optional<List<Integer>> global = thresholds(GLOBAL, "*").flatMap(Thresholds::fractionsBp);
    return global.isPresent() && !global.get().isEmpty()
        ? new Resolved(global.get(), "global", Optional.empty(), daily, monthly)
        : new Resolved(List.of(), "none", Optional.empty(), daily, monthly);
  }

  private Optional<String> teamOf(String sql, String id) {
    return db.with(h -> h.createQuery(sql).bind("id", id).mapTo(String.class).findOne());
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
  public int recordForecasts(Instant now, int minElapsedBp) {
    return AlertRules.recordForecasts(db, now, minElapsedBp);
  }

  /** A user's {@code user_email}, for mailing the user its own alerts (opt-in). */
  public Optional<String> userEmail(String userId) {
    return db.with(
        h ->
            h.createQuery("SELECT email FROM users WHERE id = :id AND email IS NOT NULL")
                .bind("id", userId)
                .mapTo(String.class)
                .findOne());
  }

  /**
   * Claims up to {@code max} due pending alerts for {@code lease}: their attempt count goes up and
   * their due time moves to the lease's end, committed at once (no transaction stays open while a
   * receiver is called).
   */
  public List<Alert> claim(int max, Duration lease) {
    return db.with(
        h ->
            AlertRows.list(
                h.createQuery(
                        "UPDATE alert_outbox o SET attempts = o.attempts + 1,"
                            + " first_attempt_at = coalesce(o.first_attempt_at, now()),"
                            + " next_attempt_at = now() + :lease * interval '1 millisecond'"
                            + " WHERE o.id IN (SELECT id FROM alert_outbox WHERE state = 'pending'"
                            + " AND next_attempt_at <= now() ORDER BY next_attempt_at LIMIT :max"
                            + " FOR UPDATE SKIP LOCKED) RETURNING o.*")
                    .bind("lease", lease.toMillis())
                    .bind("max", max)));
  }

  /** Every channel took the alert. */
  public void delivered(long id, List<String> channels) {
    db.with(
        h ->
            h.createUpdate(
                    "UPDATE alert_outbox SET state = 'delivered', finished_at = now(),"
                        + " delivered_channels = :c, last_error = NULL"
                        + " WHERE id = :id AND state = 'pending'")
                .bind("id", id)
                .bindByType("c", channels.toArray(String[]::new), String[].class)
                .execute());
  }

  /**
   * A channel failed: due again after {@code backoff}, or {@code failed} once the next attempt
   * would come later than {@code retryFor} after the first, or {@code maxAttempts} were made.
   *
   * @return whether the alert is now failed
   */
  public boolean retryOrFail(
      long id,
      List<String> deliveredChannels,
      String error,
      Duration backoff,
      Duration retryFor,
      int maxAttempts) {
    return db.with(
        h ->
            h.createQuery(
                    "UPDATE alert_outbox SET delivered_channels = :c, last_error = :e,"
                        + " next_attempt_at = now() + :b * interval '1 millisecond',"
                        + " state = CASE WHEN attempts >= :max OR now() + :b * interval '1"
                        + " millisecond' > first_attempt_at + :r * interval '1 millisecond'"
                        + " THEN 'failed' ELSE 'pending' END,"
                        + " finished_at = CASE WHEN attempts >= :max OR now() + :b * interval '1"
                        + " millisecond' > first_attempt_at + :r * interval '1 millisecond'"
                        + " THEN now() END"
                        + " WHERE id = :id AND state = 'pending' RETURNING state")
                .bind("id", id)
                .bindByType("c", deliveredChannels.toArray(String[]::new), String[].class)
                .bind("e", error.length() > 512 ? error.substring(0, 512) : error)
                .bind("b", backoff.toMillis())
                .bind("r", retryFor.toMillis())
                .bind("max", maxAttempts)
                .mapTo(String.class)
                .findOne()
                .map("failed"::equals)
                .orElse(false));
  }

  /**
   * Alerts newest first; with {@code team}, only those of that team, its members and its keys.
   *
   * @param state {@code pending}, {@code delivered} or {@code failed}; empty for all
   */
  public List<Alert> list(Optional<String> team, Optional<String> state, int limit) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alert_outbox WHERE true");
    state.ifPresent(s -> sql.append(" AND state = :state"));
    team.ifPresent(
        t ->
            sql.append(
                " AND ((scope_kind = 'TEAM' AND scope_id = :team) OR (scope_kind = 'USER' AND"
                    + " scope_id IN (SELECT user_id FROM team_members WHERE team_id = :team)) OR"
                    + " (scope_kind = 'KEY' AND scope_id IN (SELECT id FROM virtual_keys WHERE"
                    + " team_id = :team)))"));
    sql.append(" ORDER BY crossed_at DESC, id DESC LIMIT :limit");
    return db.with(
        h -> {
          Query q = h.createQuery(sql.toString()).bind("limit", limit);
          state.ifPresent(s -> q.bind("state", s));
          team.ifPresent(t -> q.bind("team", t));
          return AlertRows.list(q);
        });
  }
}

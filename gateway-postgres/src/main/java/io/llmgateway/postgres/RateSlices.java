package io.llmgateway.postgres;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.OptionalLong;

/**
 * The statements behind {@link SlicedRateLimiter}: take a slice of a scope's minute, set this
 * instance's lease of a scope's parallel slots (migration V115), and purge old rows. Each is one
 * statement; none holds a lock across a client round trip. Thread-safe.
 */
final class RateSlices {
  private static final Duration KEEP_WINDOWS = Duration.ofHours(1);

  private static final String TAKE =
      "SELECT granted_requests, granted_tokens, taken_requests, taken_tokens FROM"
          + " rate_take_slice(?, CAST(? AS timestamptz), ?, ?, ?, ?, ?, ?)";
  private static final String HOLD =
      "SELECT rate_hold_slots(?, ?, ?, ?, ?, CAST(? AS timestamptz), CAST(? AS timestamptz))";

  /** What one take handed out, and the scope's minute totals handed out after it. */
  record Slice(long grantedRequests, long grantedTokens, long takenRequests, long takenTokens) {}

  private final Db db;

  RateSlices(Db db) {
    this.db = db;
  }

  /**
   * Takes up to {@code want*} requests and tokens of the scope's minute, or nothing when either
   * limit has less than {@code need*} left. An absent limit is not counted.
   */
  Slice take(
      String scope,
      Instant minute,
      OptionalLong rpm,
      long needRequests,
      long wantRequests,
      OptionalLong tpm,
      long needTokens,
      long wantTokens) {
    return db.jdbc(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(TAKE)) {
            ps.setString(1, scope);
            ps.setTimestamp(2, Timestamp.from(minute));
            setLimit(ps, 3, rpm);
            ps.setLong(4, needRequests);
            ps.setLong(5, wantRequests);
            setLimit(ps, 6, tpm);
            ps.setLong(7, needTokens);
            ps.setLong(8, wantTokens);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              return new Slice(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4));
            }
          }
        },
        constraint -> "rate window of '" + scope + "' could not be written");
  }

  /**
   * Sets this holder's lease of the scope's parallel slots to up to {@code want}, at least {@code
   * need}, lasting until {@code expires}; returns the slots now held, or empty (lease unchanged)
   * when fewer than {@code need} are free.
   */
  OptionalLong hold(
      String scope,
      String holder,
      long parallel,
      long need,
      long want,
      Instant now,
      Instant expires) {
    return db.jdbc(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(HOLD)) {
            ps.setString(1, scope);
            ps.setString(2, holder);
            ps.setLong(3, parallel);
            ps.setLong(4, need);
            ps.setLong(5, want);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(expires));
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              long held = rs.getLong(1);
              return rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(held);
            }
          }
        },
        constraint -> "slot lease of '" + scope + "' could not be written");
  }

  private static void setLimit(PreparedStatement ps, int i, OptionalLong limit)
      throws SQLException {
    if (limit.isPresent()) {
      ps.setLong(i, limit.getAsLong());
    } else {
      ps.setNull(i, Types.BIGINT);
    }
  }

  /**
   * Deletes minute rows older than an hour, lapsed slot leases, and what instances before V115 left
   * (lapsed per-request slots, finished permits). SKIP LOCKED: never waits for an admission.
   */
  void purge(Instant now) {
    Instant cutoff = now.minus(KEEP_WINDOWS);
    db.tx(
        h -> {
          h.createUpdate(
                  "DELETE FROM rate_windows WHERE ctid IN (SELECT ctid FROM rate_windows WHERE"
                      + " minute < :cutoff FOR UPDATE SKIP LOCKED)")
              .bind("cutoff", cutoff)
              .execute();
          h.createUpdate(
                  "DELETE FROM rate_slot_leases WHERE ctid IN (SELECT ctid FROM rate_slot_leases"
                      + " WHERE expires_at < :cutoff FOR UPDATE SKIP LOCKED)")
              .bind("cutoff", cutoff)
              .execute();
          h.createUpdate(
                  "DELETE FROM rate_slots WHERE ctid IN (SELECT ctid FROM rate_slots WHERE"
                      + " expires_at <= :now FOR UPDATE SKIP LOCKED)")
              .bind("now", now)
              .execute();
          h.createUpdate(
                  "DELETE FROM rate_permits WHERE id IN (SELECT id FROM rate_permits WHERE"
                      + " minute < :cutoff AND expires_at < :cutoff AND NOT EXISTS (SELECT 1 FROM"
                      + " rate_slots s WHERE s.permit_id = rate_permits.id) FOR UPDATE SKIP"
                      + " LOCKED)")
              .bind("cutoff", cutoff)
              .execute();
          return null;
        });
  }
}

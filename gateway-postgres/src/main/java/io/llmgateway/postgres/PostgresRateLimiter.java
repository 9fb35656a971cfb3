package io.llmgateway.postgres;

import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.error.RateLimitedException.Limit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.ratelimit.RateLimiter;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.ratelimit.RateRemaining;
import io.llmgateway.core.ratelimit.RateScope;
import io.llmgateway.core.ratelimit.RateStatus;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RPM, TPM and parallel-request limits enforced in PostgreSQL, so they hold across instances.
 *
 * <p>Per scope and UTC minute, one {@code rate_windows} row counts requests and tokens; admission
 * is a conditional upsert (like the budget ledger), so counts are exact. Parallel slots are rows in
 * {@code rate_slots}, counted under a lock on the scope's {@code rate_scopes} row; a slot lapses at
 * its {@code expiresAt}. Acquire and release are each one statement running the functions of
 * migrations V3 and V102, which take scopes in byte order, so they cannot deadlock and never hold a
 * lock across a client round trip. The acquire statement also returns what the RPM and TPM limits
 * have left (the permit's {@link RateStatus}), so reporting them costs no extra round trip.
 * Thread-safe.
 */
final class PostgresRateLimiter implements RateLimiter {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(PostgresRateLimiter.class);
  private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
  private static final Duration KEEP_WINDOWS = Duration.ofHours(1);

  /** The SQLSTATE rate_acquire raises when a limit is reached. */
  static final String LIMITED = "GWR01";

  // Plain JDBC (positional parameters), like the ledger's reserve: this is one of the statements of
  // every rate-limited request. Migration V102 made rate_acquire return what the limits have left;
  // V105's wrapper commits it without waiting for the WAL flush (rate limits are not money).
  private static final String ACQUIRE =
      "SELECT remaining_requests, limit_requests, remaining_tokens, limit_tokens FROM"
          + " rate_acquire_nosync(?, CAST(? AS timestamptz), ?, CAST(? AS timestamptz), CAST(? AS"
          + " timestamptz), ?, ?, ?, ?)";

  private final Db db;
  private final AtomicLong lastPurgeMillis = new AtomicLong();

  PostgresRateLimiter(Db db) {
    this.db = db;
  }

  @Override
  public RatePermit acquire(
      String permitId,
      List<RateScope> scopes,
      long estimatedTokens,
      Instant now,
      Instant expiresAt) {
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    List<RateScope> limited = new ArrayList<>();
    for (RateScope s : scopes) {
      if (!s.limits().isEmpty()) {
        limited.add(s);
      }
    }
    limited.sort(Comparator.comparing(RateScope::scope));
    Instant windowEnd = minute.plus(Duration.ofMinutes(1));
    if (limited.isEmpty()) {
      // Nothing to count: no database round trip.
      return new RatePermit(
          permitId,
          limited,
          minute.toString(),
          estimatedTokens,
          expiresAt,
          RateStatus.unlimited(windowEnd));
    }
    int n = limited.size();
    String[] names = new String[n];
    Long[] rpm = new Long[n];
    Long[] tpm = new Long[n];
    Long[] parallel = new Long[n];
    for (int i = 0; i < n; i++) {
      RateLimits l = limited.get(i).limits();
      names[i] = limited.get(i).scope();
      rpm[i] = l.rpm().isPresent() ? l.rpm().getAsLong() : null;
      tpm[i] = l.tpm().isPresent() ? l.tpm().getAsLong() : null;
      parallel[i] = l.maxParallel().isPresent() ? l.maxParallel().getAsLong() : null;
    }
    RateStatus status =
        db.jdbc(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(ACQUIRE)) {
                ps.setString(1, permitId);
                ps.setTimestamp(2, Timestamp.from(minute));
                ps.setLong(3, estimatedTokens);
                ps.setTimestamp(4, Timestamp.from(now));
                ps.setTimestamp(5, Timestamp.from(expiresAt));
                ps.setArray(6, c.createArrayOf("text", names));
                ps.setArray(7, c.createArrayOf("bigint", rpm));
                ps.setArray(8, c.createArrayOf("bigint", tpm));
                ps.setArray(9, c.createArrayOf("bigint", parallel));
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  return new RateStatus(remaining(rs, 1), remaining(rs, 3), windowEnd);
                }
              } catch (SQLException e) {
                if (!LIMITED.equals(e.getSQLState())) {
                  throw e;
                }
                throw refusal(Db.detail(e), names, now, minute);
              }
            },
            constraint -> "rate permit '" + permitId + "' already exists");
    RatePermit permit =
        new RatePermit(permitId, limited, minute.toString(), estimatedTokens, expiresAt, status);
    try {
      purgeNowAndThen(now);
    } catch (RuntimeException e) {
      // Housekeeping only: the request is admitted either way, and the next purge catches up.
      LOG.warn("rate-limit purge failed: {}", e.getMessage());
    }
    return permit;
  }

  /** The (remaining, limit) pair at {@code column}, {@code column + 1}; empty when NULL. */
  private static Optional<RateRemaining> remaining(ResultSet rs, int column) throws SQLException {
    long remaining = rs.getLong(column);
    if (rs.wasNull()) {
      return Optional.empty();
    }
    return Optional.of(new RateRemaining(rs.getLong(column + 1), remaining));
  }

  /** Turns rate_acquire's DETAIL "n:KIND:max" into the core's error. */
  private static RateLimitedException refusal(
      String detail, String[] names, Instant now, Instant minute) {
    String[] d = detail.split(":");
    String scope = names[Integer.parseInt(d[0]) - 1];
    long max = Long.parseLong(d[2]);
    Duration untilNextMinute = Duration.between(now, minute.plus(Duration.ofMinutes(1)));
    return switch (d[1]) {
      case "RPM" ->
          new RateLimitedException(Limit.REQUESTS_PER_MINUTE, scope, max, untilNextMinute);
      case "TPM" -> new RateLimitedException(Limit.TOKENS_PER_MINUTE, scope, max, untilNextMinute);
      default ->
          new RateLimitedException(Limit.PARALLEL_REQUESTS, scope, max, Duration.ofSeconds(1));
    };
  }

  @Override
  public void release(RatePermit permit, long actualTokens) {
    if (permit.scopes().isEmpty()) {
      return;
    }
    List<String> counted = new ArrayList<>();
    for (RateScope sc : permit.scopes()) {
      if (sc.limits().rpm().isPresent() || sc.limits().tpm().isPresent()) {
        counted.add(sc.scope());
      }
    }
    // Idempotent inside the function: a second release finds the permit released.
    db.with(
        h ->
            h.createQuery("SELECT rate_release_nosync(:id, :actual, :scopes)")
                .bind("id", permit.id())
                .bind("actual", actualTokens)
                .bind("scopes", counted.toArray(new String[0]))
                .mapTo(Boolean.class)
                .one());
  }

  /**
   * Deletes old minute rows, lapsed slots and finished permits, at most once a minute per instance.
   * SKIP LOCKED: the purge never waits for, or blocks, an admission.
   */
  private void purgeNowAndThen(Instant now) {
    long last = lastPurgeMillis.get();
    if (now.toEpochMilli() - last < PURGE_EVERY.toMillis()
        || !lastPurgeMillis.compareAndSet(last, now.toEpochMilli())) {
      return;
    }
    Instant cutoff = now.minus(KEEP_WINDOWS);
    db.tx(
        h -> {
          h.createUpdate(
                  "DELETE FROM rate_windows WHERE ctid IN (SELECT ctid FROM rate_windows WHERE"
                      + " minute < :cutoff FOR UPDATE SKIP LOCKED)")
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

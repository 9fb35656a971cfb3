package io.llmgateway.postgres;

import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.error.RateLimitedException.Limit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.ratelimit.RateLimiter;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.ratelimit.RateScope;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;

/**
 * RPM, TPM and parallel-request limits enforced in PostgreSQL, so they hold across instances.
 *
 * <p>Per scope and UTC minute, one {@code rate_windows} row counts requests and tokens; admission
 * is a conditional upsert (like the budget ledger), so counts are exact. Parallel slots are rows in
 * {@code rate_slots}, counted under a lock on the scope's {@code rate_scopes} row; a slot lapses at
 * its {@code expiresAt}. Scopes are locked in string order, so acquisitions cannot deadlock.
 * Thread-safe.
 */
final class PostgresRateLimiter implements RateLimiter {
  private static final Duration PURGE_EVERY = Duration.ofMinutes(1);
  private static final Duration KEEP_WINDOWS = Duration.ofHours(1);

  private static final String COUNT_MINUTE =
      "INSERT INTO rate_windows AS w (scope, minute, requests, tokens)"
          + " SELECT :scope, :minute, 1, :tokens WHERE 1 <= :rpm AND :tokens <= :tpm"
          + " ON CONFLICT (scope, minute) DO UPDATE"
          + " SET requests = w.requests + 1, tokens = w.tokens + EXCLUDED.tokens"
          + " WHERE w.requests + 1 <= :rpm AND w.tokens + EXCLUDED.tokens <= :tpm"
          + " RETURNING w.requests";

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
    RatePermit permit =
        new RatePermit(permitId, limited, minute.toString(), estimatedTokens, expiresAt);
    if (limited.isEmpty()) {
      return permit; // nothing to count: no database round trip
    }
    db.tx(
        h -> {
          h.createUpdate(
                  "INSERT INTO rate_permits (id, minute, estimated_tokens, expires_at)"
                      + " VALUES (:id, :minute, :tokens, :expires)")
              .bind("id", permitId)
              .bind("minute", minute)
              .bind("tokens", estimatedTokens)
              .bind("expires", expiresAt)
              .execute();
          for (RateScope s : limited) {
            admit(h, permitId, s, estimatedTokens, now, minute, expiresAt);
          }
          return null;
        },
        constraint -> "rate permit '" + permitId + "' already exists");
    purgeNowAndThen(now);
    return permit;
  }

  private static void admit(
      Handle h,
      String permitId,
      RateScope s,
      long tokens,
      Instant now,
      Instant minute,
      Instant expiresAt) {
    RateLimits l = s.limits();
    if (l.maxParallel().isPresent()) {
      h.createUpdate("INSERT INTO rate_scopes (scope) VALUES (:s) ON CONFLICT DO NOTHING")
          .bind("s", s.scope())
          .execute();
      // The row lock serialises every admission of this scope, so the count below is exact.
      h.createQuery("SELECT scope FROM rate_scopes WHERE scope = :s FOR UPDATE")
          .bind("s", s.scope())
          .mapTo(String.class)
          .one();
      long held =
          h.createQuery("SELECT count(*) FROM rate_slots WHERE scope = :s AND expires_at > :now")
              .bind("s", s.scope())
              .bind("now", now)
              .mapTo(Long.class)
              .one();
      long max = l.maxParallel().getAsLong();
      if (held >= max) {
        throw new RateLimitedException(
            Limit.PARALLEL_REQUESTS, s.scope(), max, Duration.ofSeconds(1));
      }
      h.createUpdate(
              "INSERT INTO rate_slots (permit_id, scope, expires_at) VALUES (:p, :s, :expires)")
          .bind("p", permitId)
          .bind("s", s.scope())
          .bind("expires", expiresAt)
          .execute();
    }
    if (l.rpm().isPresent() || l.tpm().isPresent()) {
      long rpm = l.rpm().orElse(Long.MAX_VALUE);
      long tpm = l.tpm().orElse(Long.MAX_VALUE);
      boolean counted =
          h.createQuery(COUNT_MINUTE)
              .bind("scope", s.scope())
              .bind("minute", minute)
              .bind("tokens", tokens)
              .bind("rpm", rpm)
              .bind("tpm", tpm)
              .mapTo(Long.class)
              .findOne()
              .isPresent();
      if (!counted) {
        long requests =
            h.createQuery("SELECT requests FROM rate_windows WHERE scope = :s AND minute = :m")
                .bind("s", s.scope())
                .bind("m", minute)
                .mapTo(Long.class)
                .findOne()
                .orElse(0L);
        Duration retry = Duration.between(now, minute.plus(Duration.ofMinutes(1)));
        if (requests + 1 > rpm) {
          throw new RateLimitedException(Limit.REQUESTS_PER_MINUTE, s.scope(), rpm, retry);
        }
        throw new RateLimitedException(Limit.TOKENS_PER_MINUTE, s.scope(), tpm, retry);
      }
    }
  }

  @Override
  public void release(RatePermit permit, long actualTokens) {
    if (permit.scopes().isEmpty()) {
      return;
    }
    db.tx(
        h -> {
          boolean first =
              h.createQuery(
                      "UPDATE rate_permits SET released = true WHERE id = :id AND NOT released"
                          + " RETURNING id")
                  .bind("id", permit.id())
                  .mapTo(String.class)
                  .findOne()
                  .isPresent();
          if (!first) {
            return null; // already released (idempotent), or purged long ago
          }
          Instant minute = Instant.parse(permit.minute());
          // Same order as acquire: minute rows by scope, then this permit's own slots.
          for (RateScope s : permit.scopes()) {
            if (s.limits().rpm().isPresent() || s.limits().tpm().isPresent()) {
              h.createUpdate(
                      "UPDATE rate_windows SET tokens = greatest(0, tokens - :est + :actual)"
                          + " WHERE scope = :s AND minute = :m")
                  .bind("est", permit.estimatedTokens())
                  .bind("actual", actualTokens)
                  .bind("s", s.scope())
                  .bind("m", minute)
                  .execute();
            }
          }
          h.createUpdate("DELETE FROM rate_slots WHERE permit_id = :id")
              .bind("id", permit.id())
              .execute();
          return null;
        });
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

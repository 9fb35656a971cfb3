package io.llmgateway.core.internal;

import io.llmgateway.core.budget.LedgerUpkeep;
import io.llmgateway.core.requestlog.RefusalLog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger's upkeep, owned by the {@code Gateway} so an embedder cannot forget it: charges
 * reservations whose instance died (expired, at their full amount) every {@code every}, and at most
 * every {@link #PURGE_EVERY} deletes the records of reservations that ended more than {@link
 * #RETENTION} ago and the refused requests older than the request log's retention. Safe with any
 * number of instances sweeping one ledger. Thread-safe.
 */
public final class Sweeper implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Sweeper.class);

  /** Ended reservations are kept this long (for reading), then deleted. */
  public static final Duration RETENTION = Duration.ofDays(1);

  /** How often ended reservations are purged. */
  public static final Duration PURGE_EVERY = Duration.ofMinutes(10);

  private static final int PURGE_BATCH = 5_000;
  private static final int PURGE_MAX_PER_CALL = 200_000;

  private final LedgerUpkeep ledger;
  private final RefusalLog refusals;
  private final Duration refusalRetention;
  private final Clock clock;
  private final ScheduledExecutorService thread;
  private Instant nextPurge = Instant.MIN; // guarded by this

  /**
   * @param refusalRetention refused requests older than this are deleted
   * @param clock the time expiry is judged by (the server's is the database's)
   * @param every how often to sweep; zero: never on its own (only {@link #sweep()})
   */
  public Sweeper(
      LedgerUpkeep ledger,
      RefusalLog refusals,
      Duration refusalRetention,
      Clock clock,
      Duration every) {
    if (refusalRetention.isNegative() || refusalRetention.isZero()) {
      throw new IllegalArgumentException("request log retention must be positive");
    }
    this.ledger = ledger;
    this.refusals = refusals;
    this.refusalRetention = refusalRetention;
    this.clock = clock;
    if (every.isZero() || every.isNegative()) {
      this.thread = null;
      return;
    }
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("reservation-sweeper").unstarted(r));
    long ms = every.toMillis();
    thread.scheduleWithFixedDelay(this::sweepQuietly, ms, ms, TimeUnit.MILLISECONDS);
  }

  /**
   * Charges every expired reservation now and, when due, purges old ended ones.
   *
   * @return how many reservations were charged
   */
  public synchronized int sweep() {
    int n = ledger.expire(clock.instant());
    if (n > 0) {
      log.warn("charged {} expired reservation(s) at their reserved amount", n);
    }
    Instant now = clock.instant();
    if (!now.isBefore(nextPurge)) {
      nextPurge = now.plus(PURGE_EVERY);
      int purged = purge(now.minus(RETENTION));
      if (purged > 0) {
        log.info("deleted {} ended reservation record(s)", purged);
      }
      int refused = purgeRefusals(now.minus(refusalRetention));
      if (refused > 0) {
        log.info("deleted {} refused request(s) past the request log's retention", refused);
      }
    }
    return n;
  }

  /** Deletes ended reservations older than {@code before}, in batches; returns how many. */
  public int purge(Instant before) {
    int total = 0;
    int n;
    do {
      n = ledger.purgeEnded(before, PURGE_BATCH);
      total += n;
    } while (n == PURGE_BATCH && total < PURGE_MAX_PER_CALL);
    return total;
  }

  /** Deletes refused requests older than {@code before}, in batches; returns how many. */
  public int purgeRefusals(Instant before) {
    int total = 0;
    int n;
    do {
      n = refusals.purgeBefore(before, PURGE_BATCH);
      total += n;
    } while (n == PURGE_BATCH && total < PURGE_MAX_PER_CALL);
    return total;
  }

  private void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("reservation sweep failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }
}

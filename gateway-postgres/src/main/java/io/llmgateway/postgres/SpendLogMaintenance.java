package io.llmgateway.postgres;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The spend log's upkeep (V123, docs/POSTGRES.md "The spend log"): monthly partitions created
 * ahead, whole partitions dropped by retention, and the daily rollups brought up to date. Every
 * step is idempotent and serialised in the database (advisory locks), so every instance may run it;
 * none of it runs in a settle's transaction. {@link #start} runs it on one daemon thread: the
 * rollup every {@code every}, partitions and retention on the first run and then at most hourly.
 * Thread-safe.
 */
public final class SpendLogMaintenance implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SpendLogMaintenance.class);

  /** Months created ahead of the current one. */
  public static final int MONTHS_AHEAD = 2;

  private static final Duration PARTITION_EVERY = Duration.ofHours(1);

  private final Db db;
  private final Optional<Integer> retentionMonths;
  private ScheduledExecutorService executor;
  private Instant partitionsDoneAt = Instant.EPOCH;

  /**
   * @param retentionMonths how many whole months before the current one to keep; empty keeps
   *     everything
   */
  SpendLogMaintenance(Db db, Optional<Integer> retentionMonths) {
    this.db = db;
    this.retentionMonths = Objects.requireNonNull(retentionMonths);
    retentionMonths.ifPresent(
        m -> {
          if (m < 0) {
            throw new IllegalArgumentException("spend log retention must be >= 0 months");
          }
        });
  }

  /** Creates this month's partition and the {@link #MONTHS_AHEAD} next ones; returns how many. */
  public int ensurePartitions(Instant now) {
    return db.with(
        h ->
            h.createQuery("SELECT spend_log_ensure_partitions(:now, :ahead)")
                .bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                .bind("ahead", MONTHS_AHEAD)
                .mapTo(Integer.class)
                .one());
  }

  /**
   * Drops the monthly partitions wholly older than the retention (never the current month, never
   * one holding rows not yet rolled up); returns their names. Does nothing without a retention.
   */
  public List<String> dropExpired(Instant now) {
    if (retentionMonths.isEmpty()) {
      return List.of();
    }
    String[] dropped =
        db.with(
            h ->
                h.createQuery("SELECT spend_log_drop_partitions(:now, :keep)")
                    .bind("now", OffsetDateTime.ofInstant(now, ZoneOffset.UTC))
                    .bind("keep", retentionMonths.get())
                    .mapTo(String[].class)
                    .one());
    return Arrays.asList(dropped);
  }

  /** Adds every spend row of the transactions ended since the last run to the daily rollups. */
  public long rollUp() {
    return db.with(h -> h.createQuery("SELECT spend_rollup()").mapTo(Long.class).one());
  }

  /** One round: rollup first, so that retention finds the old partitions rolled up. */
  public void runOnce(Instant now) {
    rollUp();
    if (Duration.between(partitionsDoneAt, now).compareTo(PARTITION_EVERY) >= 0) {
      ensurePartitions(now);
      List<String> dropped = dropExpired(now);
      if (!dropped.isEmpty()) {
        LOG.info("spend log retention dropped partitions {}", dropped);
      }
      partitionsDoneAt = now;
    }
  }

  /** Runs {@link #runOnce} now and every {@code every} on a daemon thread until closed. */
  public synchronized SpendLogMaintenance start(Duration every, java.time.Clock clock) {
    if (executor == null) {
      executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> Thread.ofPlatform().daemon().name("spend-log-maintenance").unstarted(r));
      executor.scheduleWithFixedDelay(
          () -> {
            try {
              runOnce(clock.instant());
            } catch (RuntimeException e) {
              // The next round retries; a report meanwhile reads the tail from spend_log.
              LOG.warn("spend log maintenance failed: {}", e.getMessage());
            }
          },
          0,
          every.toMillis(),
          TimeUnit.MILLISECONDS);
    }
    return this;
  }

  @Override
  public synchronized void close() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}

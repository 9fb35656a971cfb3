package io.llmgateway.postgres;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PostgreSQL's time, read locally: budget windows, reservation deadlines and expiry must agree
 * across instances, and each host's own clock may be off by seconds or more. The clock is anchored
 * to {@code clock_timestamp()} (measured at the midpoint of the round trip) and runs on {@link
 * System#nanoTime()} from there, so it is as cheap as the system clock and immune to the host's
 * wall clock being stepped. A daemon thread re-anchors it every {@code refresh}; if the database
 * cannot be reached the last anchor keeps running (a monotonic clock drifts by parts per million).
 * A re-anchor may step the clock by the round trip's uncertainty (well under a millisecond on a
 * LAN). Thread-safe; {@link #close()} stops the thread.
 */
final class DatabaseClock extends Clock implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);

  /** Host clocks further off than this are reported loudly: other tools on the host use them. */
  static final Duration LARGE_SKEW = Duration.ofSeconds(2);

  /** The database's time at local {@code nanos}, and how far the host's wall clock was off. */
  private record Anchor(Instant databaseTime, long nanos, Duration hostOffset) {}

  private final DataSource dataSource;
  private final ScheduledExecutorService refresher;
  private volatile Anchor anchor;
  private volatile boolean failing;

  private DatabaseClock(DataSource dataSource, Anchor first) {
    this.dataSource = dataSource;
    this.anchor = first;
    this.refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "database-clock");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Measures the database's time now (failing if it cannot) and re-measures every {@code refresh}.
   */
  static DatabaseClock start(DataSource dataSource, Duration refresh) {
    DatabaseClock clock;
    try {
      clock = new DatabaseClock(dataSource, measure(dataSource));
    } catch (SQLException e) {
      throw Db.translate(e, "");
    }
    clock.reportSkew();
    long millis = refresh.toMillis();
    clock.refresher.scheduleWithFixedDelay(clock::refresh, millis, millis, TimeUnit.MILLISECONDS);
    return clock;
  }

  @Override
  public Instant instant() {
    Anchor a = anchor;
    return a.databaseTime.plusNanos(System.nanoTime() - a.nanos);
  }

  @Override
  public long millis() {
    return instant().toEpochMilli();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  /** The same instants in another zone (for {@code ZonedDateTime.now(clock)}). */
  @Override
  public Clock withZone(ZoneId zone) {
    DatabaseClock self = this;
    return new Clock() {
      @Override
      public Instant instant() {
        return self.instant();
      }

      @Override
      public ZoneId getZone() {
        return zone;
      }

      @Override
      public Clock withZone(ZoneId other) {
        return self.withZone(other);
      }
    };
  }

  /** How far PostgreSQL's clock was ahead of this host's wall clock at the last measurement. */
  Duration hostOffset() {
    return anchor.hostOffset;
  }

  /** Re-anchors now; on failure keeps the last anchor and says so once. */
  void refresh() {
    try {
      anchor = measure(dataSource);
      if (failing) {
        failing = false;
        log.info("database clock: measuring PostgreSQL's time again");
      }
      reportSkew();
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        failing = true;
        log.warn(
            "database clock: cannot read PostgreSQL's time ({}); running on from the last"
                + " measurement",
            e.getClass().getSimpleName());
      }
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }

  /** Whether the refresh thread has stopped (after close). */
  boolean isStopped() {
    return refresher.isTerminated();
  }

  private void reportSkew() {
    Duration off = anchor.hostOffset;
    if (off.abs().compareTo(LARGE_SKEW) > 0) {
      log.warn(
          "this host's clock is {} ms {} PostgreSQL's: the gateway uses the database's time for"
              + " budget windows and expiry, but check the host's time synchronisation (NTP)",
          off.abs().toMillis(),
          off.isNegative() ? "ahead of" : "behind");
    }
  }

  private static Anchor measure(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement st = c.createStatement()) {
      long before = System.nanoTime();
      Instant wallBefore = Instant.now();
      try (ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
        rs.next();
        Instant db = rs.getObject(1, OffsetDateTime.class).toInstant();
        long after = System.nanoTime();
        long half = (after - before) / 2;
        Instant wallMid = wallBefore.plusNanos(half);
        return new Anchor(db, before + half, Duration.between(wallMid, db));
      }
    }
  }
}

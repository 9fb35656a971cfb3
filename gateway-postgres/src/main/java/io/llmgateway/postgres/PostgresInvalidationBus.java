package io.llmgateway.postgres;

import io.llmgateway.core.InvalidationBus;
import io.llmgateway.core.error.StorageUnavailableException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cross-instance invalidation over PostgreSQL LISTEN/NOTIFY. Publishing is a {@code pg_notify} on a
 * pooled connection; every instance (the publisher included) receives it on one dedicated
 * connection outside the pool, read by one daemon thread. NOTIFY is delivered when the publishing
 * transaction commits; the listener wakes on arrival and at least every {@link #POLL_MILLIS}, so
 * the bound is well under one second while the database is reachable. If the listening connection
 * drops, it reconnects and then tells every listener {@code All}, since notifications sent while it
 * was away are lost. Key and all invalidations also reach this instance's own listeners before
 * {@link #publish} returns, so a request right after an admin change sees it. Thread-safe.
 */
final class PostgresInvalidationBus implements InvalidationBus, AutoCloseable {
  static final String CHANNEL = "llm_gateway_invalidation";
  static final int POLL_MILLIS = 250;
  private static final Logger LOG = LoggerFactory.getLogger(PostgresInvalidationBus.class);

  private final Db db;
  private final DatabaseConfig config;
  private final List<Consumer<Invalidation>> listeners = new CopyOnWriteArrayList<>();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile Connection connection;

  PostgresInvalidationBus(Db db, DatabaseConfig config) {
    this.db = db;
    this.config = config;
    this.thread =
        Thread.ofPlatform().daemon().name("pg-invalidation-listener").unstarted(this::run);
  }

  /** Opens the LISTEN connection before returning, so nothing published after start is missed. */
  void start() {
    try {
      connection = listen();
    } catch (SQLException e) {
      throw new StorageUnavailableException("cannot open the invalidation listener connection", e);
    }
    thread.start();
  }

  @Override
  public void publish(Invalidation invalidation) {
    String payload =
        switch (invalidation) {
          case Invalidation.Key k -> "key:" + k.keyId();
          case Invalidation.All a -> "all";
          case Invalidation.LeaseRecall r -> LeaseRecalls.encode(r);
        };
    db.with(
        h ->
            h.createQuery("SELECT pg_notify(:channel, :payload)")
                .bind("channel", CHANNEL)
                .bind("payload", payload)
                .mapTo(String.class)
                .findOne());
    // This instance's caches drop the entry now, not when its own NOTIFY comes back a few ms
    // later: a request right after an admin change must see the change. (Heard twice: harmless.)
    // A lease recall is left to the NOTIFY: the publisher has already retired its own leases.
    if (!(invalidation instanceof Invalidation.LeaseRecall)) {
      deliver(invalidation);
    }
  }

  @Override
  public void subscribe(Consumer<Invalidation> listener) {
    listeners.add(listener);
  }

  private Connection listen() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", config.username());
    props.setProperty("password", config.password());
    props.setProperty("ApplicationName", "llm-gateway-listener");
    props.setProperty("connectTimeout", "5");
    props.setProperty("tcpKeepAlive", "true");
    Connection c = DriverManager.getConnection(config.jdbcUrl(), props);
    try (Statement s = c.createStatement()) {
      s.execute("LISTEN " + CHANNEL);
    }
    return c;
  }

  private void run() {
    long backoff = 100;
    while (running) {
      try {
        Connection c = connection;
        if (c == null) {
          c = listen();
          connection = c;
          backoff = 100;
          // Whatever was published while we were away is lost: everything may be stale.
          deliver(new Invalidation.All());
        }
        PGNotification[] notes = c.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
        if (notes != null) {
          for (PGNotification n : notes) {
            deliver(parse(n.getParameter()));
          }
        }
      } catch (SQLException e) {
        if (!running) {
          return;
        }
        LOG.warn("invalidation listener lost its connection; reconnecting ({})", e.getSQLState());
        closeQuietly();
        sleep(backoff);
        backoff = Math.min(backoff * 2, 2000);
      }
    }
  }

  private static Invalidation parse(String payload) {
    if (payload.startsWith("key:")) {
      return new Invalidation.Key(payload.substring(4));
    }
    return LeaseRecalls.decode(payload).orElseGet(Invalidation.All::new);
  }

  private void deliver(Invalidation invalidation) {
    for (Consumer<Invalidation> l : listeners) {
      try {
        l.accept(invalidation);
      } catch (RuntimeException e) {
        LOG.warn("invalidation listener failed", e);
      }
    }
  }

  private void closeQuietly() {
    Connection c = connection;
    connection = null;
    if (c != null) {
      try {
        c.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    closeQuietly();
  }
}

package io.llmgateway.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The pool as the stores use it: a caller whose wait for a connection timed out ({@link
 * PostgresAdapters#CONNECTION_TIMEOUT_MILLIS}) while the pool was merely busy (every connection in
 * use, none failing to connect) waits up to {@link #BUSY_WAIT_MILLIS} more, in a bounded queue of
 * {@link #MAX_WAITERS} callers; past that bound, or when the database refused connections (Hikari
 * names the last connection failure as the cause), the timeout stands and the request is refused
 * 503 at once, as before: fail closed. At 5,000 streams opened over 5 s on a loaded 2-core VM,
 * admissions waiting behind one another's lease takes got 503 storage_unavailable after 3 s
 * although the database was up. Thread-safe.
 */
final class PatientPool implements DataSource {
  static final long BUSY_WAIT_MILLIS = 6_000;
  static final int MAX_WAITERS = 1_024;

  private final HikariDataSource pool;
  private final Semaphore waiters = new Semaphore(MAX_WAITERS);

  PatientPool(HikariDataSource pool) {
    this.pool = pool;
  }

  @Override
  public Connection getConnection() throws SQLException {
    try {
      return pool.getConnection();
    } catch (SQLTransientConnectionException e) {
      if (!busy(e) || !waiters.tryAcquire()) {
        throw e;
      }
      try {
        long deadline = System.nanoTime() + BUSY_WAIT_MILLIS * 1_000_000L;
        while (true) {
          try {
            return pool.getConnection();
          } catch (SQLTransientConnectionException again) {
            if (!busy(again) || System.nanoTime() >= deadline) {
              throw again;
            }
          }
        }
      } finally {
        waiters.release();
      }
    }
  }

  /** Timed out with connections in use and no connection failure behind it. */
  private boolean busy(SQLTransientConnectionException e) {
    var mx = pool.getHikariPoolMXBean();
    return e.getCause() == null && mx != null && mx.getActiveConnections() > 0 && !pool.isClosed();
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("the pool's credentials only");
  }

  @Override
  public PrintWriter getLogWriter() throws SQLException {
    return pool.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) throws SQLException {
    pool.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) throws SQLException {
    pool.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() throws SQLException {
    return pool.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    return pool.getParentLogger();
  }

  @Override
  public <T> T unwrap(Class<T> type) throws SQLException {
    return type.isInstance(this) ? type.cast(this) : pool.unwrap(type);
  }

  @Override
  public boolean isWrapperFor(Class<?> type) throws SQLException {
    return type.isInstance(this) || pool.isWrapperFor(type);
  }
}

package io.llmgateway.postgres;

import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.StorageUnavailableException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.function.Function;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Runs work on the pool and turns database failures into the core's errors: an unreachable database
 * becomes {@link StorageUnavailableException} (fail closed), a unique or foreign-key violation a
 * {@link ConflictException}, a NUL byte, a check violation or an over-long value an {@link
 * InvalidRequestException}. Thread-safe.
 */
final class Db {
  private final Jdbi jdbi;
  private final DataSource dataSource;

  Db(Jdbi jdbi, DataSource dataSource) {
    this.jdbi = jdbi;
    this.dataSource = dataSource;
  }

  /** Work on one pooled JDBC connection (autocommit). */
  @FunctionalInterface
  interface SqlWork<T> {
    T run(Connection c) throws SQLException;
  }

  /**
   * Runs {@code work} on a pooled connection with plain JDBC, for the per-request hot path
   * (reserve, settle): JDBI's statement machinery (config lookups, named-parameter parsing,
   * argument factories, cleanables) cost about three times the driver's own CPU per statement in a
   * profile of the benchmark. Errors are translated as by {@link #with(Function, Function)}.
   */
  <T> T jdbc(SqlWork<T> work, Function<String, String> conflictMessage) {
    try (Connection c = dataSource.getConnection()) {
      return work.run(c);
    } catch (GatewayException e) {
      throw e;
    } catch (SQLException | RuntimeException e) {
      throw translate(e, conflictMessage.apply(constraintName(e)));
    }
  }

  /**
   * Runs {@code work} in one transaction. READ COMMITTED is the pool's isolation level (set by
   * PostgresAdapters on every connection); not naming it here saves JDBI's per-transaction get/set
   * isolation round trips.
   */
  <T> T tx(Function<Handle, T> work) {
    try {
      return jdbi.inTransaction(work::apply);
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(e, "");
    }
  }

  /** Runs one statement (or a read) without an explicit transaction. */
  <T> T with(Function<Handle, T> work) {
    try {
      return jdbi.withHandle(work::apply);
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(e, "");
    }
  }

  /** Like {@link #with(Function)} but names what collided in a conflict. */
  <T> T with(Function<Handle, T> work, Function<String, String> conflictMessage) {
    try {
      return jdbi.withHandle(work::apply);
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(e, conflictMessage.apply(constraintName(e)));
    }
  }

  /** The SQLSTATE of the database error behind {@code e}, if any. */
  static String sqlState(Throwable e) {
    SQLException sql = sqlCause(e);
    return sql == null ? null : sql.getSQLState();
  }

  /** The DETAIL line of the server error behind {@code e}, or "". */
  static String detail(Throwable e) {
    SQLException sql = sqlCause(e);
    if (sql instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
      String d = p.getServerErrorMessage().getDetail();
      return d == null ? "" : d;
    }
    return "";
  }

  /** Like {@link #tx} but names what collided in a conflict ("team alias 'x' is taken"). */
  <T> T tx(Function<Handle, T> work, Function<String, String> conflictMessage) {
    try {
      return jdbi.inTransaction(work::apply);
    } catch (GatewayException e) {
      throw e;
    } catch (RuntimeException e) {
      throw translate(e, conflictMessage.apply(constraintName(e)));
    }
  }

  /**
   * Whether {@code e} means the database cannot be reached at all (pool timeout, connection lost,
   * server shutting down or out of connections), as opposed to a statement that failed: retrying
   * the same work on another connection at once would fail the same way.
   */
  static boolean unreachable(Throwable e) {
    if (e instanceof StorageUnavailableException && e.getCause() != null) {
      return unreachable(e.getCause());
    }
    SQLException sql = sqlCause(e);
    String state = sql == null ? null : sql.getSQLState();
    return sql == null
        || state == null
        || sql instanceof SQLTransientConnectionException
        || state.startsWith("08") // connection exception
        || state.startsWith("57P") // admin shutdown, cannot connect now
        || state.startsWith("53"); // insufficient resources (too many connections)
  }

  /**
   * Whether a failed write may nevertheless have committed: the database became unreachable after a
   * connection was in hand, so the statement may have run and committed with its answer lost. A
   * wait for a pooled connection that timed out ({@link SQLTransientConnectionException}) sent
   * nothing; a statement the server answered with an error rolled back.
   */
  static boolean outcomeUnknown(Throwable e) {
    return unreachable(e) && !(sqlCause(e) instanceof SQLTransientConnectionException);
  }

  static GatewayException translate(Exception e, String conflictMessage) {
    SQLException sql = sqlCause(e);
    String state = sql == null ? null : sql.getSQLState();
    if (sql == null || state == null) {
      // Pool timeouts (SQLTransientConnectionException from Hikari) and JDBI connection failures.
      return new StorageUnavailableException(
          "the database is unavailable; the request was not admitted", e);
    }
    if (unreachable(e)) {
      return new StorageUnavailableException(
          "the database is unavailable; the request was not admitted", e);
    }
    return switch (state) {
      case "23505", "23503" ->
          new ConflictException(
              conflictMessage.isEmpty() ? "conflicts with an existing record" : conflictMessage);
      // 22021: invalid byte sequence (a NUL byte in text); 22P05: \u0000 in jsonb.
      case "22021", "22P05" -> new InvalidRequestException("text must not contain NUL characters");
      case "23514", "22001", "22003" ->
          new InvalidRequestException("a value is out of range or too long");
      // 22023 is also what pgjdbc reports, before sending, for "Zero bytes may not occur in string
      // parameters".
      case "22023" ->
          String.valueOf(sql.getMessage()).contains("Zero bytes")
              ? new InvalidRequestException("text must not contain NUL characters")
              : new InvalidRequestException("a value has an invalid format");
      case "22P02" -> new InvalidRequestException("a value has an invalid format");
      default -> new StorageUnavailableException("database error; the request was not admitted", e);
    };
  }

  private static String constraintName(Exception e) {
    SQLException sql = sqlCause(e);
    if (sql instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
      String c = p.getServerErrorMessage().getConstraint();
      return c == null ? "" : c;
    }
    return "";
  }

  private static SQLException sqlCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }
}

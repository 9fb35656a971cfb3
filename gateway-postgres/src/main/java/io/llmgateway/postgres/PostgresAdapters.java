package io.llmgateway.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.llmgateway.core.Stores;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.session.SessionStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;

/**
 * The PostgreSQL adapter module's one public factory: a HikariCP pool, Flyway migrations applied on
 * start, and every core storage port implemented on JDBI (the ledger's per-request reserve and
 * settle on plain JDBC). {@link #close()} closes the pool and the LISTEN connection. Thread-safe.
 */
public final class PostgresAdapters implements AutoCloseable {
  /** How long a caller waits for a pooled connection before failing closed. */
  static final long CONNECTION_TIMEOUT_MILLIS = 3_000;

  private final HikariDataSource dataSource;
  private final PostgresInvalidationBus invalidations;
  private final Stores stores;
  private final PostgresSessionStore sessions;
  private final DatabaseConfig config;

  private PostgresAdapters(DatabaseConfig config, HikariDataSource dataSource) {
    this.config = config;
    this.dataSource = dataSource;
    Jdbi jdbi = Jdbi.create(dataSource);
    jdbi.registerArrayType(String.class, "text");
    jdbi.registerArrayType(Long.class, "bigint");
    Db db = new Db(jdbi, dataSource);
    this.invalidations = new PostgresInvalidationBus(db, config);
    this.stores =
        new Stores(
            new PostgresKeyStore(db),
            new PostgresTeamStore(db),
            new PostgresUserStore(db),
            new PostgresCatalogStore(db),
            new PostgresBudgetLedger(db),
            new PostgresRateLimiter(db),
            new PostgresSpendLog(db),
            new PostgresAuditLog(db),
            invalidations);
    this.sessions = new PostgresSessionStore(db);
  }

  /**
   * Opens the pool, applies pending migrations and starts the invalidation listener.
   *
   * @throws StorageUnavailableException if the database cannot be reached or migrated
   */
  public static PostgresAdapters start(DatabaseConfig config) {
    migrate(config);
    HikariDataSource ds = pool(config);
    PostgresAdapters adapters = new PostgresAdapters(config, ds);
    try {
      adapters.invalidations.start();
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
    return adapters;
  }

  /** Applies pending migrations; safe to call on an up-to-date database (does nothing). */
  public static void migrate(DatabaseConfig config) {
    try {
      MigrateResult result = flyway(config).migrate();
      if (!result.success) {
        throw new StorageUnavailableException("database migration failed", null);
      }
    } catch (StorageUnavailableException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new StorageUnavailableException(
          "cannot migrate the database at " + config.jdbcUrl() + ": " + rootMessage(e), e);
    }
  }

  public Stores stores() {
    return stores;
  }

  /**
   * Admin UI sessions and failed sign-ins, shared by every instance on this database (kept apart
   * from {@link Stores} so that record does not change).
   */
  public SessionStore sessionStore() {
    return sessions;
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public DatabaseConfig config() {
    return config;
  }

  /** A cheap {@code SELECT 1} round trip with a one-second timeout. */
  public boolean isHealthy() {
    try (Connection c = dataSource.getConnection()) {
      return c.isValid(1);
    } catch (SQLException | RuntimeException e) {
      return false;
    }
  }

  /** Versions and descriptions of the migrations applied, oldest first. */
  public List<String> appliedMigrations() {
    return describe(MigrationState.SUCCESS, true);
  }

  /** Migrations known to this build but not yet applied (empty after {@link #start}). */
  public List<String> pendingMigrations() {
    return describe(MigrationState.PENDING, false);
  }

  private List<String> describe(MigrationState state, boolean applied) {
    try {
      MigrationInfo[] all =
          Flyway.configure()
              .dataSource(dataSource)
              .locations("classpath:db/migration")
              .load()
              .info()
              .all();
      return Arrays.stream(all)
          .filter(
              m ->
                  applied
                      ? m.getState().isApplied() && !m.getState().isFailed()
                      : m.getState() == state)
          .map(m -> m.getVersion() + " " + m.getDescription())
          .toList();
    } catch (RuntimeException e) {
      throw new StorageUnavailableException("cannot read migration status", e);
    }
  }

  @Override
  public void close() {
    invalidations.close();
    dataSource.close();
  }

  private static Flyway flyway(DatabaseConfig config) {
    return Flyway.configure()
        .dataSource(config.jdbcUrl(), config.username(), config.password())
        .locations("classpath:db/migration")
        .connectRetries(0)
        .load();
  }

  private static HikariDataSource pool(DatabaseConfig config) {
    HikariConfig hc = new HikariConfig();
    hc.setPoolName("llm-gateway");
    hc.setJdbcUrl(config.jdbcUrl());
    hc.setUsername(config.username());
    hc.setPassword(config.password());
    hc.setMaximumPoolSize(config.poolSize());
    // A fixed-size pool (HikariCP's advice): no connection is opened in the middle of a burst.
    hc.setMinimumIdle(config.poolSize());
    // Fail closed quickly when the database is down instead of queueing requests for 30 s.
    hc.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
    hc.setValidationTimeout(1_000);
    // Do not fail construction: migrate() already proved the database reachable, and a pool that
    // starts during a blip recovers by itself.
    hc.setInitializationFailTimeout(-1);
    hc.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
    hc.addDataSourceProperty("ApplicationName", "llm-gateway");
    hc.addDataSourceProperty("connectTimeout", "5");
    // A statement never hangs a request thread forever on a half-dead connection.
    hc.addDataSourceProperty("socketTimeout", "30");
    hc.addDataSourceProperty("tcpKeepAlive", "true");
    return new HikariDataSource(hc);
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    // Credentials travel apart from the URL (DatabaseConfig), so driver messages cannot hold them.
    return String.valueOf(t.getMessage());
  }
}

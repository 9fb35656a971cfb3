package io.llmgateway.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.llmgateway.core.Stores;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.session.SessionStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;

/**
 * The PostgreSQL adapter module's one public factory: a HikariCP pool, Flyway migrations applied on
 * start, and every core storage port implemented on JDBI (the ledger's per-request reserve and
 * settle on plain JDBC), the database's budget time zone (checked at start) and its clock. {@link
 * #close()} closes the pool, the LISTEN connection and the clock's thread. Thread-safe.
 */
public final class PostgresAdapters implements AutoCloseable {
  /** How long a caller waits for a pooled connection before failing closed. */
  static final long CONNECTION_TIMEOUT_MILLIS = 3_000;

  /** How often {@link #clock()} re-measures the database's time. */
  static final Duration CLOCK_REFRESH = Duration.ofSeconds(30);

  private final HikariDataSource dataSource;
  private final PostgresInvalidationBus invalidations;
  private final Stores stores;
  private final SlicedRateLimiter rateLimiter;
  private final PostgresSessionStore sessions;
  private final PostgresRefusalLog refusals;
  private final PostgresAlerts alerts;
  private final DatabaseConfig config;
  private final ZoneId budgetZone;
  private final Db db;
  private DatabaseClock clock;

  private PostgresAdapters(DatabaseConfig config, HikariDataSource dataSource, ZoneId budgetZone) {
    this.config = config;
    this.dataSource = dataSource;
    this.budgetZone = budgetZone;
    // The stores wait longer for a connection while the pool is merely busy (PatientPool);
    // readiness and the pool gauges use the pool itself.
    DataSource patient = new PatientPool(dataSource);
    Jdbi jdbi = Jdbi.create(patient);
    jdbi.registerArrayType(String.class, "text");
    jdbi.registerArrayType(Long.class, "bigint");
    Db db = new Db(jdbi, patient);
    this.db = db;
    this.rateLimiter = new SlicedRateLimiter(db);
    this.sessions = new PostgresSessionStore(db);
    this.invalidations = new PostgresInvalidationBus(db, config);
    this.stores =
        new Stores(
            new PostgresKeyStore(db),
            new PostgresTeamStore(db),
            new PostgresUserStore(db),
            new PostgresCatalogStore(db),
            new PostgresBudgetLedger(db, budgetZone),
            rateLimiter,
            new PostgresSpendLog(db),
            new PostgresAuditLog(db),
            invalidations,
            new PostgresOperatorStore(db),
            sessions);
    this.refusals = new PostgresRefusalLog(db);
    this.alerts = new PostgresAlerts(db);
  }

  /**
   * Opens the pool, applies pending migrations and starts the invalidation listener, on the
   * database's budget time zone ({@link #budgetZone()}; UTC is stored if none is yet). For tools
   * that go with whatever zone the database has; an instance configured with a zone uses {@link
   * #start(DatabaseConfig, ZoneId)}.
   *
   * @throws StorageUnavailableException if the database cannot be reached or migrated
   */
  public static PostgresAdapters start(DatabaseConfig config) {
    return start(config, ZoneId.of("UTC"), false);
  }

  /**
   * Like {@link #start(DatabaseConfig)} for an instance configured with {@code budgetZone}: the
   * first instance on a database stores it (gateway_settings, V107); every later one must be
   * configured with the zone stored, since instances on different zones would each grant a full
   * day.
   *
   * @throws BudgetZoneMismatchException if the database holds another zone (nothing is started)
   * @throws StorageUnavailableException if the database cannot be reached or migrated
   */
  public static PostgresAdapters start(DatabaseConfig config, ZoneId budgetZone) {
    return start(config, budgetZone, true);
  }

  /**
   * Like {@link #start(DatabaseConfig)} or, with a zone, {@link #start(DatabaseConfig, ZoneId)},
   * but applies no migration: for tools that must not change the schema as a side effect (the admin
   * CLI's commands other than {@code db migrate}); the caller checks the schema's state.
   *
   * @throws BudgetZoneMismatchException if {@code budgetZone} is given and the database holds
   *     another zone
   * @throws StorageUnavailableException if the database cannot be reached
   */
  public static PostgresAdapters startWithoutMigrating(
      DatabaseConfig config, Optional<ZoneId> budgetZone) {
    return start(config, budgetZone.orElse(ZoneId.of("UTC")), budgetZone.isPresent(), false);
  }

  private static PostgresAdapters start(DatabaseConfig config, ZoneId proposed, boolean strict) {
    return start(config, proposed, strict, true);
  }

  private static PostgresAdapters start(
      DatabaseConfig config, ZoneId proposed, boolean strict, boolean migrating) {
    if (migrating) {
      migrate(config);
    }
    HikariDataSource ds = pool(config);
    try {
      ZoneId zone;
      try (Connection c = ds.getConnection()) {
        zone = BudgetZoneSetting.claim(c, proposed);
      } catch (SQLException e) {
        throw Db.translate(e, "");
      }
      if (strict && !BudgetZoneSetting.same(zone, proposed)) {
        throw new BudgetZoneMismatchException(proposed, zone);
      }
      PostgresAdapters adapters = new PostgresAdapters(config, ds, zone);
      adapters.invalidations.start();
      return adapters;
    } catch (RuntimeException e) {
      ds.close();
      throw e;
    }
  }

  /**
   * Sets the database's budget time zone (migrating first), on a connection of its own; returns the
   * zone it replaces, if one was set. Refused while any gateway instance (or other adapters) is
   * connected: running instances keep the zone they started with. Counters keep the zone they were
   * counted in; the new zone's periods start as new counters (docs/POSTGRES.md).
   *
   * @throws IllegalStateException if gateway connections are open (nothing is changed)
   * @throws StorageUnavailableException if the database cannot be reached
   */
  public static Optional<ZoneId> changeBudgetZone(DatabaseConfig config, ZoneId zone) {
    return onOwnConnection(config, c -> BudgetZoneSetting.change(c, zone));
  }

  /**
   * The database's budget time zone, if an instance has stored one (migrating first), read on a
   * connection of its own without storing anything.
   */
  public static Optional<ZoneId> readBudgetZone(DatabaseConfig config) {
    return onOwnConnection(config, BudgetZoneSetting::read);
  }

  /** One connection outside any pool, named apart from the gateway's (pg_stat_activity). */
  private static <T> T onOwnConnection(DatabaseConfig config, Db.SqlWork<T> work) {
    migrate(config);
    Properties p = new Properties();
    p.setProperty("user", config.username());
    p.setProperty("password", config.password());
    p.setProperty("ApplicationName", "llm-gateway-admin");
    try (Connection c = DriverManager.getConnection(config.jdbcUrl(), p)) {
      return work.run(c);
    } catch (SQLException e) {
      throw Db.translate(e, "");
    }
  }

  /**
   * The budget time zone of this database, in which every instance on it computes its calendar
   * budget windows (and the ledger labels its counters' periods).
   */
  public ZoneId budgetZone() {
    return budgetZone;
  }

  /**
   * PostgreSQL's time ({@code clock_timestamp()}), re-measured every 30 s on a daemon thread
   * started on first call and stopped by {@link #close()}: instances on one database agree on
   * budget windows, reservation deadlines and expiry whatever their hosts' clocks say.
   *
   * @throws StorageUnavailableException if the first measurement fails
   */
  public synchronized Clock clock() {
    if (clock == null) {
      clock = DatabaseClock.start(dataSource, CLOCK_REFRESH);
    }
    return clock;
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
   * Admin UI sessions and failed sign-ins, shared by every instance on this database (the same
   * store as {@code stores().sessions()}).
   */
  public SessionStore sessionStore() {
    return sessions;
  }

  /**
   * The request log's refused requests, shared by every instance on this database (kept apart from
   * {@link Stores} so that record does not change).
   */
  public RefusalLog refusalLog() {
    return refusals;
  }

  /** Budget alerts: thresholds and the outbox (V117, docs/ALERTS.md), beside {@link Stores}. */
  public PostgresAlerts alerts() {
    return alerts;
  }

  /**
   * The spend log's partitions, retention and rollups (V123); not started: the server calls {@link
   * SpendLogMaintenance#start}, tools call its steps.
   *
   * @param retentionMonths whole months kept before the current one; empty keeps everything
   */
  public SpendLogMaintenance spendLogMaintenance(Optional<Integer> retentionMonths) {
    return new SpendLogMaintenance(db, retentionMonths);
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
    synchronized (this) {
      if (clock != null) {
        clock.close();
      }
    }
    rateLimiter.close();
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
    // Also how `gateway-admin settings timezone` sees that instances are running.
    hc.addDataSourceProperty("ApplicationName", BudgetZoneSetting.GATEWAY_APPLICATION);
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

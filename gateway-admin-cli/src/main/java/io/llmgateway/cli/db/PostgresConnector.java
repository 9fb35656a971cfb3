package io.llmgateway.cli.db;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.ExitCode;
import io.llmgateway.core.Stores;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.postgres.BudgetZoneMismatchException;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.EmbeddedDatabase;
import io.llmgateway.postgres.PostgresAdapters;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Opens PostgreSQL for the CLI: the URL it is given, or the embedded database the server uses (same
 * data directory). An embedded data directory can be opened by one process at a time, so if a
 * running gateway already holds it, the CLI connects to that gateway's PostgreSQL (its port is in
 * {@code postmaster.pid}) instead of starting a second one. Commands that change data apply pending
 * migrations, as the server does at start; read-only ones only check the schema. Thread-safe.
 */
public final class PostgresConnector implements DatabaseConnector {
  /** The server keeps the embedded cluster in this subdirectory of the data directory. */
  static final String CLUSTER_DIR = "postgres";

  /** The database, user and host of the server's embedded PostgreSQL (trust auth, loopback). */
  static final String EMBEDDED_DATABASE = "gateway";

  static final String EMBEDDED_USER = "postgres";

  @Override
  public DatabaseSession open(DatabaseTarget target, Optional<ZoneId> budgetZone, boolean migrate) {
    Resolved r = resolve(target);
    try {
      PostgresAdapters adapters;
      if (!migrate) {
        FlywayStatus.requireUpToDate(r.config(), r.where());
        adapters = PostgresAdapters.startWithoutMigrating(r.config(), budgetZone);
      } else if (budgetZone.isPresent()) {
        adapters = PostgresAdapters.start(r.config(), budgetZone.get());
      } else {
        adapters = PostgresAdapters.start(r.config());
      }
      return new Session(adapters, r);
    } catch (StorageUnavailableException e) {
      r.close();
      throw unreachable(target, e);
    } catch (BudgetZoneMismatchException e) {
      r.close();
      throw CliException.usage(
          "GATEWAY_TIMEZONE / --timezone is "
              + e.configured().getId()
              + " but the database's budget time zone is "
              + e.database().getId()
              + ": leave it unset (the CLI uses the database's zone), or change the database's"
              + " zone with every gateway instance stopped: gateway-admin settings timezone "
              + e.configured().getId());
    } catch (RuntimeException e) {
      r.close();
      throw e;
    }
  }

  @Override
  public Optional<ZoneId> budgetZone(DatabaseTarget target) {
    try (Resolved r = resolve(target)) {
      return PostgresAdapters.readBudgetZone(r.config());
    } catch (StorageUnavailableException e) {
      throw unreachable(target, e);
    }
  }

  @Override
  public Optional<ZoneId> changeBudgetZone(DatabaseTarget target, ZoneId zone) {
    try (Resolved r = resolve(target)) {
      return PostgresAdapters.changeBudgetZone(r.config(), zone);
    } catch (StorageUnavailableException e) {
      throw unreachable(target, e);
    } catch (IllegalStateException e) {
      throw CliException.validation("budget time zone not changed: " + e.getMessage());
    }
  }

  @Override
  public List<String> migrate(DatabaseTarget target) {
    try (Resolved r = resolve(target)) {
      List<String> before = FlywayStatus.pending(r.config());
      PostgresAdapters.migrate(r.config());
      return before;
    } catch (StorageUnavailableException e) {
      throw unreachable(target, e);
    }
  }

  @Override
  public MigrationStatus status(DatabaseTarget target) {
    try (Resolved r = resolve(target)) {
      return FlywayStatus.read(r.config(), r.where());
    } catch (StorageUnavailableException e) {
      throw unreachable(target, e);
    }
  }

  private static CliException unreachable(DatabaseTarget target, StorageUnavailableException e) {
    String hint =
        target instanceof DatabaseTarget.Url
            ? " (check DATABASE_URL / --database-url, that PostgreSQL is up and reachable)"
            : " (check GATEWAY_DATA_DIR / --data-dir)";
    return CliException.infrastructure(
        "cannot use the " + target + ": " + e.getMessage() + hint, e);
  }

  /** Connection settings, and the embedded server this process started for them, if any. */
  private record Resolved(DatabaseConfig config, Optional<EmbeddedDatabase> started, String where)
      implements AutoCloseable {
    @Override
    public void close() {
      started.ifPresent(EmbeddedDatabase::close);
    }
  }

  private static Resolved resolve(DatabaseTarget target) {
    return switch (target) {
      case DatabaseTarget.Url u -> {
        try {
          yield new Resolved(
              DatabaseConfig.fromUrl(u.url(), u.poolSize()), Optional.empty(), u.toString());
        } catch (IllegalArgumentException e) {
          throw new CliException(ExitCode.USAGE, "DATABASE_URL: " + e.getMessage());
        }
      }
      case DatabaseTarget.Embedded e -> embedded(e);
    };
  }

  private static Resolved embedded(DatabaseTarget.Embedded e) {
    Path cluster = e.dataDir().resolve(CLUSTER_DIR);
    Optional<RunningPostmaster> running = RunningPostmaster.in(cluster);
    if (running.isPresent()) {
      String url = "jdbc:postgresql://127.0.0.1:" + running.get().port() + "/" + EMBEDDED_DATABASE;
      return new Resolved(
          new DatabaseConfig(url, EMBEDDED_USER, "", e.poolSize()),
          Optional.empty(),
          "embedded database in "
              + e.dataDir()
              + ", already running (pid "
              + running.get().pid()
              + ", port "
              + running.get().port()
              + ")");
    }
    try {
      EmbeddedDatabase db = EmbeddedDatabase.start(cluster);
      return new Resolved(db.config(e.poolSize()), Optional.of(db), e.toString());
    } catch (StorageUnavailableException ex) {
      throw CliException.infrastructure(
          "cannot start the embedded database in "
              + e.dataDir()
              + ": "
              + ex.getMessage()
              + ". If a gateway is running on it, set DATABASE_URL to that gateway's database,"
              + " or stop the gateway.",
          ex);
    }
  }

  /** An open database: the adapters, and the embedded server to stop after them. */
  private static final class Session implements DatabaseSession {
    private final PostgresAdapters adapters;
    private final Resolved resolved;

    Session(PostgresAdapters adapters, Resolved resolved) {
      this.adapters = adapters;
      this.resolved = resolved;
    }

    @Override
    public Stores stores() {
      return adapters.stores();
    }

    @Override
    public ZoneId budgetZone() {
      return adapters.budgetZone();
    }

    @Override
    public Optional<io.llmgateway.postgres.PostgresAlerts> alerts() {
      return Optional.of(adapters.alerts());
    }

    @Override
    public String describe() {
      return resolved.where();
    }

    @Override
    public void close() {
      try {
        adapters.close();
      } finally {
        resolved.close();
      }
    }
  }
}

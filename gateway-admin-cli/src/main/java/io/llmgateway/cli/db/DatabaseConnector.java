package io.llmgateway.cli.db;

import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * Opens databases for the CLI. The real one ({@link PostgresConnector}) speaks PostgreSQL; tests
 * may give their own. Implementations are thread-safe.
 */
public interface DatabaseConnector {

  /**
   * Connects, brings the schema up to date, and returns the storage ports, on the database's budget
   * time zone.
   *
   * @param budgetZone the zone the user configured, if any: stored if the database has none yet,
   *     and refused (usage error naming both zones) if the database has another
   * @throws io.llmgateway.cli.CliException with the infrastructure exit code if unreachable
   */
  default DatabaseSession open(DatabaseTarget target, Optional<ZoneId> budgetZone) {
    return open(target, budgetZone, true);
  }

  /**
   * Connects and returns the storage ports; with {@code migrate} false the schema is left as it is
   * and must already be up to date (else an infrastructure error says to run {@code db migrate}).
   */
  DatabaseSession open(DatabaseTarget target, Optional<ZoneId> budgetZone, boolean migrate);

  /** The database's budget time zone, if one is stored; stores nothing. */
  Optional<ZoneId> budgetZone(DatabaseTarget target);

  /**
   * Sets the database's budget time zone; returns the previous one.
   *
   * @throws io.llmgateway.cli.CliException (validation) while gateway instances are connected
   */
  Optional<ZoneId> changeBudgetZone(DatabaseTarget target, ZoneId zone);

  /** Applies pending migrations; returns the versions applied. */
  List<String> migrate(DatabaseTarget target);

  /** Applied and pending migrations, without changing anything. */
  MigrationStatus status(DatabaseTarget target);

  /** One migration: version, description, and when it was applied (empty if pending). */
  record Migration(String version, String description, java.util.Optional<java.time.Instant> at) {}

  /** The schema's state. */
  record MigrationStatus(String where, List<Migration> applied, List<Migration> pending) {
    public MigrationStatus {
      applied = List.copyOf(applied);
      pending = List.copyOf(pending);
    }
  }
}

package io.llmgateway.cli.db;

import java.util.List;

/**
 * Opens databases for the CLI. The real one ({@link PostgresConnector}) speaks PostgreSQL; tests
 * may give their own. Implementations are thread-safe.
 */
public interface DatabaseConnector {

  /**
   * Connects, brings the schema up to date if the target is the CLI's own embedded database, and
   * returns the storage ports.
   *
   * @throws io.llmgateway.cli.CliException with the infrastructure exit code if unreachable
   */
  DatabaseSession open(DatabaseTarget target);

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

package io.llmgateway.cli.db;

import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.postgres.DatabaseConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;

/**
 * Reads the schema's migration state with Flyway, without migrating (opening the adapters would
 * migrate first, so {@code db status} could never show anything pending). Uses the migrations
 * shipped in gateway-postgres. Stateless.
 */
final class FlywayStatus {
  private FlywayStatus() {}

  static DatabaseConnector.MigrationStatus read(DatabaseConfig config, String where) {
    MigrationInfo[] all = info(config);
    List<DatabaseConnector.Migration> applied =
        Arrays.stream(all)
            .filter(m -> m.getState().isApplied())
            .map(
                m ->
                    new DatabaseConnector.Migration(
                        String.valueOf(m.getVersion()),
                        m.getDescription() + (m.getState().isFailed() ? " (FAILED)" : ""),
                        Optional.ofNullable(m.getInstalledOn()).map(java.util.Date::toInstant)))
            .toList();
    return new DatabaseConnector.MigrationStatus(where, applied, pendingOf(all));
  }

  static List<String> pending(DatabaseConfig config) {
    return pendingOf(info(config)).stream().map(m -> m.version() + " " + m.description()).toList();
  }

  /**
   * Refuses a schema this CLI cannot use as it is, without changing it: none at all (a fresh
   * database), pending migrations (older than this build) or a failed one. Only {@code db migrate}
   * migrates, so a read-only command never alters a production schema as a side effect.
   *
   * @throws StorageUnavailableException if the database cannot be reached
   * @throws io.llmgateway.cli.CliException (infrastructure) naming what to run
   */
  static void requireUpToDate(DatabaseConfig config, String where) {
    MigrationInfo[] all;
    try {
      all =
          Flyway.configure()
              .dataSource(config.jdbcUrl(), config.username(), config.password())
              .locations("classpath:db/migration")
              .connectRetries(0)
              .load()
              .info()
              .all();
    } catch (RuntimeException e) {
      // Reading the state is the first connection: report it as one, whatever Flyway calls it.
      throw new StorageUnavailableException("cannot connect: " + rootMessage(e), e);
    }
    boolean anyApplied = Arrays.stream(all).anyMatch(m -> m.getState().isApplied());
    if (!anyApplied) {
      throw new io.llmgateway.cli.CliException(
          io.llmgateway.cli.ExitCode.INFRASTRUCTURE,
          "schema not migrated: the "
              + where
              + " has no gateway schema yet; run 'gateway-admin db migrate' first");
    }
    if (Arrays.stream(all).anyMatch(m -> m.getState().isFailed())) {
      throw new io.llmgateway.cli.CliException(
          io.llmgateway.cli.ExitCode.INFRASTRUCTURE,
          "schema has a failed migration: see 'gateway-admin db status'");
    }
    List<DatabaseConnector.Migration> pending = pendingOf(all);
    if (!pending.isEmpty()) {
      throw new io.llmgateway.cli.CliException(
          io.llmgateway.cli.ExitCode.INFRASTRUCTURE,
          "schema is older than this gateway-admin ("
              + pending.size()
              + " migrations pending, from V"
              + pending.getFirst().version()
              + "): run 'gateway-admin db migrate' (see 'gateway-admin db status')");
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    // Credentials travel apart from the URL (DatabaseConfig), so driver messages cannot hold them.
    return String.valueOf(t.getMessage());
  }

  private static List<DatabaseConnector.Migration> pendingOf(MigrationInfo[] all) {
    return Arrays.stream(all)
        .filter(m -> !m.getState().isApplied() && m.getVersion() != null)
        .map(
            m ->
                new DatabaseConnector.Migration(
                    String.valueOf(m.getVersion()), m.getDescription(), Optional.empty()))
        .toList();
  }

  private static MigrationInfo[] info(DatabaseConfig config) {
    try {
      return Flyway.configure()
          .dataSource(config.jdbcUrl(), config.username(), config.password())
          .locations("classpath:db/migration")
          .connectRetries(0)
          .load()
          .info()
          .all();
    } catch (RuntimeException e) {
      // Flyway's messages name the JDBC URL (no password: it is passed separately).
      throw new StorageUnavailableException(
          "cannot read the migration state at " + config.jdbcUrl(), e);
    }
  }
}

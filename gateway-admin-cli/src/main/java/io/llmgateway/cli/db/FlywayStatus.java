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

package io.llmgateway.cli.db;

import io.llmgateway.cli.CliException;
import java.util.List;

/** Opens PostgreSQL databases (placeholder until the postgres adapters land). */
public final class PostgresConnector implements DatabaseConnector {
  @Override
  public DatabaseSession open(DatabaseTarget target) {
    throw CliException.infrastructure("PostgreSQL support is not built in yet", null);
  }

  @Override
  public List<String> migrate(DatabaseTarget target) {
    throw CliException.infrastructure("PostgreSQL support is not built in yet", null);
  }

  @Override
  public MigrationStatus status(DatabaseTarget target) {
    throw CliException.infrastructure("PostgreSQL support is not built in yet", null);
  }
}

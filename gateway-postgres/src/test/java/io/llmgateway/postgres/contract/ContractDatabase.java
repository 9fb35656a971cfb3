package io.llmgateway.postgres.contract;

import io.llmgateway.core.Stores;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Runs a core port contract against real PostgreSQL: one fresh, migrated database per test class,
 * emptied (every table but Flyway's history truncated) before each test, so each contract test
 * starts from empty stores as it does in memory.
 */
final class ContractDatabase implements BeforeAllCallback, AfterAllCallback {
  private PostgresAdapters adapters;
  private DatabaseConfig config;

  @Override
  public void beforeAll(ExtensionContext context) {
    config = PostgresFixture.migratedDatabase();
    adapters = PostgresAdapters.start(config);
  }

  /**
   * Empty stores of a newly started instance: for ports that keep state in the instance as well as
   * in the database (the rate limiter counts its slices in memory), emptying the tables is not
   * enough to start from nothing.
   */
  Stores emptyStoresOfANewInstance() {
    adapters.close();
    adapters = PostgresAdapters.start(config);
    return emptyStores();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    adapters.close();
  }

  Stores emptyStores() {
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      List<String> tables = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
                  + " AND tablename <> 'flyway_schema_history'")) {
        while (rs.next()) {
          tables.add('"' + rs.getString(1) + '"');
        }
      }
      s.execute("TRUNCATE " + String.join(", ", tables) + " CASCADE");
    } catch (SQLException e) {
      throw new IllegalStateException("could not empty the contract test database", e);
    }
    return adapters.stores();
  }
}

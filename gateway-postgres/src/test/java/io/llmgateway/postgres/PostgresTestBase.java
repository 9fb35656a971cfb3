package io.llmgateway.postgres;

import io.llmgateway.core.Stores;
import io.llmgateway.postgres.testing.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** Gives each test class its own migrated database and adapters. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class PostgresTestBase {
  protected DatabaseConfig config;
  protected PostgresAdapters adapters;
  protected Stores stores;

  @BeforeAll
  void startAdapters() {
    config = PostgresFixture.freshDatabase();
    adapters = PostgresAdapters.start(config);
    stores = adapters.stores();
  }

  @AfterAll
  void closeAdapters() {
    if (adapters != null) {
      adapters.close();
    }
  }
}

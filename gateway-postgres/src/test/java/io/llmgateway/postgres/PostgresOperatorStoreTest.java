package io.llmgateway.postgres;

import io.llmgateway.core.contract.OperatorStoreContract;
import io.llmgateway.core.identity.OperatorStore;
import io.llmgateway.postgres.testing.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** The operator store contract on real PostgreSQL; every test starts from an empty table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresOperatorStoreTest extends OperatorStoreContract {
  private PostgresAdapters adapters;

  @Override
  protected OperatorStore newStore() {
    if (adapters == null) {
      adapters = PostgresAdapters.start(PostgresFixture.migratedDatabase());
    }
    return adapters.stores().operators();
  }

  @BeforeEach
  void emptyTable() throws Exception {
    newStore();
    try (var c = adapters.dataSource().getConnection();
        var s = c.createStatement()) {
      s.execute("TRUNCATE ui_operators");
    }
  }

  @AfterAll
  void close() {
    if (adapters != null) {
      adapters.close();
    }
  }
}

package io.llmgateway.postgres.contract;

import io.llmgateway.core.contract.RefusalLogContract;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.postgres.testing.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** The refusal log contract on real PostgreSQL; every test starts from an empty table. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresRefusalLogContractTest extends RefusalLogContract {
  private PostgresAdapters adapters;

  @Override
  protected RefusalLog newLog() {
    if (adapters == null) {
      adapters = PostgresAdapters.start(PostgresFixture.migratedDatabase());
    }
    return adapters.refusalLog();
  }

  @BeforeEach
  void emptyTable() throws Exception {
    newLog();
    try (var c = adapters.dataSource().getConnection();
        var s = c.createStatement()) {
      s.execute("TRUNCATE request_refusals");
    }
  }

  @AfterAll
  void close() {
    if (adapters != null) {
      adapters.close();
    }
  }
}

package io.llmgateway.postgres;

import io.llmgateway.core.contract.SessionStoreContract;
import io.llmgateway.core.session.SessionStore;
import io.llmgateway.postgres.testing.PostgresFixture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/** The session store contract on real PostgreSQL; every test starts from empty tables. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresSessionStoreTest extends SessionStoreContract {
  private PostgresAdapters adapters;

  @Override
  protected SessionStore newStore() {
    if (adapters == null) {
      adapters = PostgresAdapters.start(PostgresFixture.migratedDatabase());
    }
    return adapters.sessionStore();
  }

  @BeforeEach
  void emptyTables() throws Exception {
    newStore();
    try (var c = adapters.dataSource().getConnection();
        var s = c.createStatement()) {
      s.execute("TRUNCATE ui_sessions, ui_login_failures");
    }
  }

  @AfterAll
  void close() {
    if (adapters != null) {
      adapters.close();
    }
  }
}

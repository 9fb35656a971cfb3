package io.llmgateway.postgres;

import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
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
    config = PostgresFixture.migratedDatabase();
    adapters = PostgresAdapters.start(config);
    stores = adapters.stores();
  }

  /**
   * Runs {@code sql} in a transaction of its own on a session whose {@code synchronous_commit} is
   * on (as in production; the test fixture's server may run non-durable for speed) and returns the
   * setting inside that transaction and after its commit: a function that makes only its own commit
   * skip the WAL flush gives {@code ["off", "on"]}.
   */
  protected List<String> synchronousCommitDuringAndAfter(String sql) throws SQLException {
    try (Connection c = adapters.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.execute("SET synchronous_commit = on");
      c.setAutoCommit(false);
      try {
        st.execute(sql);
        String during = show(st);
        c.commit();
        return List.of(during, show(st));
      } finally {
        c.rollback();
        st.execute("RESET synchronous_commit");
        c.setAutoCommit(true);
      }
    }
  }

  private static String show(Statement st) throws SQLException {
    try (ResultSet rs = st.executeQuery("SHOW synchronous_commit")) {
      rs.next();
      return rs.getString(1);
    }
  }

  /**
   * Writes {@code batch} through ledger_write_batch with the spend rows as JSON (the path batches
   * of one kind took before V124 and V134), for comparing the column paths with it; how many it
   * wrote.
   */
  protected int writeBatchAsJson(List<Settlement> batch) throws SQLException {
    try (Connection c = adapters.dataSource().getConnection();
        PreparedStatement ps =
            c.prepareStatement("SELECT ledger_write_batch(CAST(? AS jsonb), false)")) {
      ps.setString(1, SpendRows.batchJson(batch));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  @AfterAll
  void closeAdapters() {
    if (adapters != null) {
      adapters.close();
    }
  }
}

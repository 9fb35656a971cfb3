package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reservation path's tables keep every rule of their column checks, held by domains (V129):
 * PostgreSQL reads and plans a table's CHECK constraints on every statement that writes the table,
 * a domain's once per connection.
 */
class LedgerColumnDomainsTest {
  private static DatabaseConfig config;

  @BeforeAll
  static void migrate() {
    config = PostgresFixture.freshDatabase();
    PostgresAdapters.migrate(config);
  }

  @Test
  void theReservePathTablesHaveNoSingleColumnTableCheck() throws SQLException {
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      // Left: the one rule over two columns (expires_at > created_at).
      assertThat(
              one(
                  s,
                  "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE"
                      + " contype = 'c' AND conrelid IN ('budget_counters'::regclass,"
                      + " 'reservations'::regclass)"))
          .isEqualTo("reservations_check");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // one row per rule of V1's checks, each breaking exactly one of them
        "INSERT INTO budget_counters VALUES ('TEAM', 't', 'DAILY', 'p', -1, 0, 10, now())",
        "INSERT INTO budget_counters VALUES ('TEAM', 't', 'DAILY', 'p', 0, -1, 10, now())",
        "INSERT INTO budget_counters VALUES ('TEAM', 't', 'DAILY', 'p', 0, 0, -10, now())",
        "INSERT INTO budget_counters VALUES ('TEAM', 't', 'DAILY', 'p', 0, 0, 10, now(), -1)",
        "INSERT INTO budget_counters VALUES ('ORG', 't', 'DAILY', 'p', 0, 0, 10, now())",
        "INSERT INTO budget_counters VALUES ('TEAM', '', 'DAILY', 'p', 0, 0, 10, now())",
        "INSERT INTO budget_counters VALUES ('TEAM', repeat('t', 257), 'DAILY', 'p', 0, 0, 10,"
            + " now())",
        "INSERT INTO budget_counters VALUES ('TEAM', 't', 'WEEKLY', 'p', 0, 0, 10, now())",
        "INSERT INTO budget_counters VALUES ('TEAM', 't', 'DAILY', '', 0, 0, 10, now())",
        "INSERT INTO budget_counters VALUES ('TEAM', 't', 'DAILY', repeat('p', 101), 0, 0, 10,"
            + " now())",
        "UPDATE budget_counters SET reserved_nanos = reserved_nanos - 1000 WHERE scope_id = 'ok'",
        "UPDATE budget_counters SET committed_nanos = -1 WHERE scope_id = 'ok'",
        "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)"
            + " VALUES ('', 1, 'held', now(), now() + interval '1 s', '{}')",
        "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)"
            + " VALUES (repeat('r', 257), 1, 'held', now(), now() + interval '1 s', '{}')",
        "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)"
            + " VALUES ('r', -1, 'held', now(), now() + interval '1 s', '{}')",
        "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)"
            + " VALUES ('r', 1, 'lost', now(), now() + interval '1 s', '{}')",
        "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending,"
            + " drawn_nanos) VALUES ('r', 1, 'held', now(), now() + interval '1 s', '{}', -1)",
        "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)"
            + " VALUES ('r', 1, 'held', now(), now(), '{}')",
        "UPDATE reservations SET state = 'gone' WHERE id = 'ok'",
        "UPDATE reservations SET amount_nanos = -5 WHERE id = 'ok'"
      })
  void everyRuleOfTheOldChecksStillRefusesItsRow(String sql) throws SQLException {
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO budget_counters VALUES ('USER', 'ok', 'DAILY', 'p', 0, 500, 1000, now())"
              + " ON CONFLICT DO NOTHING");
      s.execute(
          "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, pending)"
              + " VALUES ('ok', 5, 'held', now(), now() + interval '1 s', '{}')"
              + " ON CONFLICT DO NOTHING");
      assertThatThrownBy(() -> s.execute(sql))
          .isInstanceOfSatisfying(
              SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
    }
  }
}

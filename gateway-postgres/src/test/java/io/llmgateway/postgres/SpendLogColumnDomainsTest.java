package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.one;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * spend_log keeps every rule of its column checks, held by domains (V131): PostgreSQL reads and
 * plans a table's CHECK constraints on every statement that writes the table, a domain's once per
 * connection. Partitions created later get the domains with the parent's row type.
 */
class SpendLogColumnDomainsTest extends PostgresTestBase {
  /** A valid row's columns and values; each case below breaks exactly one rule. */
  private static final String COLUMNS =
      "INSERT INTO spend_log (request_id, key_id, user_id, team_id, model, deployment_id,"
          + " input_tokens, output_tokens, cache_read_tokens, cache_write_tokens, usage_source,"
          + " cost_nanos, status, error_type, latency_ms, started_at, ended_at) VALUES ";

  private static final String CHECKS =
      "SELECT string_agg(DISTINCT conname, ',') FROM pg_constraint WHERE contype = 'c' AND"
          + " conrelid IN (SELECT 'spend_log'::regclass UNION ALL SELECT inhrelid FROM pg_inherits"
          + " WHERE inhparent = 'spend_log'::regclass)";

  @Test
  void spendLogHasNoSingleColumnTableCheck() throws SQLException {
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      // Left, on the table and every partition: the one rule over two columns.
      assertThat(one(s, CHECKS)).isEqualTo("spend_log_usage_check");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // one row per rule of V123's checks
        "('', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1, now(), now())",
        "(repeat('r', 257), 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1,"
            + " now(), now())",
        "('r', '', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1, now(), now())",
        "('r', repeat('k', 257), 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1,"
            + " now(), now())",
        "('r', 'k', repeat('u', 257), 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1,"
            + " now(), now())",
        "('r', 'k', 'u', repeat('t', 257), 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1,"
            + " now(), now())",
        "('r', 'k', 'u', 't', '', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1, now(), now())",
        "('r', 'k', 'u', 't', repeat('m', 257), 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1,"
            + " now(), now())",
        "('r', 'k', 'u', 't', 'm', repeat('d', 257), 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1,"
            + " now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', -1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1, now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', 1, -1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1, now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', 1, 1, -1, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1, now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, -1, 'REPORTED', 5, 'SUCCESS', NULL, 1, now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'GUESSED', 5, 'SUCCESS', NULL, 1, now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', -5, 'SUCCESS', NULL, 1, now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'LOST', NULL, 1, now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'ERROR', repeat('e', 257), 1,"
            + " now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, -1, now(), now())",
        // the two-column rule, both ways
        "('r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, NULL, 5, 'SUCCESS', NULL, 1, now(), now())",
        "('r', 'k', 'u', 't', 'm', 'd', NULL, 1, 0, 0, 'ESTIMATED', 5, 'SUCCESS', NULL, 1, now(),"
            + " now())"
      })
  void everyRuleOfTheOldChecksStillRefusesItsRow(String values) throws SQLException {
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      refused(s, COLUMNS + values);
      // the same row in the default partition (a month no partition takes)
      refused(s, COLUMNS + values.replace("now())", "timestamptz '2099-01-01')"));
    }
  }

  @Test
  void theBoundariesOfTheRulesStillPass() throws SQLException {
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.execute(
          COLUMNS
              + "(repeat('b', 256), repeat('k', 256), '', '', 'm', '', 0, 0, 0, 0, 'ESTIMATED', 0,"
              + " 'PENDING', '', 0, now(), now()), ('b2', 'k', NULL, NULL, 'm', NULL, NULL, NULL,"
              + " NULL, NULL, NULL, 0, 'EXPIRED', NULL, 0, now(), now())");
      assertThat(one(s, "SELECT count(*) FROM spend_log WHERE request_id LIKE 'b%'"))
          .isEqualTo("2");
    }
  }

  @Test
  void theSettleFunctionsRefuseABadValueWith23514() throws SQLException {
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      LedgerUpgrade.reserve(s, "bad-1", 10);
      // leases off: ledger_settle's arrays (V128)
      refused(
          s,
          "SELECT ledger_settle(true, '{bad-1}', '{req}', '{k}', '{u}', '{t}', '{m}', '{d}',"
              + " '{1}', '{1}', '{0}', '{0}', '{REPORTED}', '{-5}', '{SUCCESS}', '{NULL}', '{1}',"
              + " ARRAY[now()], ARRAY[now()])");
      // leases on: ledger_write_batch's rows, read as spend_log's row type (V116)
      refused(
          s,
          "SELECT ledger_write_batch('[{\"reservation_id\": \"bad-1\", \"request_id\": \"req\","
              + " \"key_id\": \"k\", \"model\": \"m\", \"cost_nanos\": 5, \"status\": \"LOST\","
              + " \"latency_ms\": 1, \"started_at\": \"2026-11-27T10:15:30Z\", \"ended_at\":"
              + " \"2026-11-27T10:15:31Z\"}]', true)");
      assertThat(one(s, "SELECT state FROM reservations WHERE id = 'bad-1'")).isEqualTo("held");
    }
  }

  @Test
  void aPartitionCreatedLaterHasTheDomainsAndRefusesABadRow() throws SQLException {
    SpendLogMaintenance m = adapters.spendLogMaintenance(Optional.empty());
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      // 2045-03 out of the default partition (created, filled and attached), 2045-04 created new
      s.execute(COLUMNS.replace(") VALUES ", ") SELECT ") + rowEndedAt("2045-03-10"));
      assertThat(m.ensurePartitions(Instant.parse("2045-03-15T00:00:00Z"))).isEqualTo(3);
      for (String month : new String[] {"2045-03-20", "2045-04-20"}) {
        refused(
            s,
            COLUMNS
                + "('r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', -5,"
                + " 'SUCCESS', NULL, 1, now(), timestamptz '"
                + month
                + "')");
        refused(
            s,
            COLUMNS
                + "('r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, NULL, 5,"
                + " 'SUCCESS', NULL, 1, now(), timestamptz '"
                + month
                + "')");
      }
      assertThat(one(s, CHECKS)).isEqualTo("spend_log_usage_check");
      assertThat(
              one(
                  s,
                  "SELECT string_agg(DISTINCT format_type(atttypid, atttypmod), ',') FROM"
                      + " pg_attribute WHERE attrelid IN ('spend_log_p204503'::regclass,"
                      + " 'spend_log_p204504'::regclass) AND attname IN ('cost_nanos',"
                      + " 'latency_ms')"))
          .isEqualTo("spend_count");
      assertThat(one(s, "SELECT count(*) FROM spend_log_p204503")).isEqualTo("1");
    }
  }

  private static String rowEndedAt(String day) {
    return "'r', 'k', 'u', 't', 'm', 'd', 1, 1, 0, 0, 'REPORTED', 5, 'SUCCESS', NULL, 1, now(),"
        + " timestamptz '"
        + day
        + "'";
  }

  static void refused(Statement s, String sql) {
    assertThatThrownBy(() -> s.execute(sql))
        .isInstanceOfSatisfying(
            SQLException.class, e -> assertThat(e.getSQLState()).isEqualTo("23514"));
  }
}

package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.databaseAt;
import static io.llmgateway.postgres.SpendSql.map;
import static io.llmgateway.postgres.SpendSql.one;
import static io.llmgateway.postgres.TestData.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.money.Money;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * V131 on a V129 database holding spend rows in two monthly partitions, one the default partition
 * moved out (created by LIKE and attached) and the default one, and a held reservation: the columns
 * become domains without rewriting a partition or rebuilding an index (same relfilenodes), every
 * row reads as before, and the settle, a lease's draw and the expiry still write spend rows.
 */
class SpendLogV131MigrationTest {
  /** Every partition of spend_log and every index of one: name = relfilenode. */
  private static final String FILES =
      "SELECT c.relname, c.relfilenode || ':' || pg_relation_size(c.oid) FROM pg_class c"
          + " WHERE c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = 'spend_log'::regclass)"
          + " OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT inhrelid"
          + " FROM pg_inherits WHERE inhparent = 'spend_log'::regclass))";

  /** Rows, tokens and cost per partition. */
  private static final String ROWS =
      "SELECT tableoid::regclass::text, count(*) || '/' || sum(input_tokens) || '/'"
          + " || sum(cost_nanos) || '/' || string_agg(DISTINCT status, ',') FROM spend_log GROUP BY 1";

  @Test
  void columnsBecomeDomainsInPlaceAndTheSpendPathsStillWrite() throws SQLException {
    DatabaseConfig config = databaseAt("129");
    Map<String, String> files;
    Map<String, String> rows;
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute("SELECT spend_log_ensure_partitions(timestamptz '2030-01-15', 1)");
      for (String endedAt : new String[] {"2030-01-10", "2030-02-10", "2031-03-10", "2035-05-05"}) {
        s.execute(
            "INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,"
                + " input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
                + " usage_source, cost_nanos, status, error_type, latency_ms, started_at, ended_at)"
                + " SELECT 'r' || g, 'req' || g, 'k' || g % 7, 'u', NULL, 'm', g, 1, 0, 0,"
                + " 'REPORTED', 10 * g, CASE g % 3 WHEN 0 THEN 'SUCCESS' ELSE 'ERROR' END,"
                + " CASE g % 3 WHEN 0 THEN NULL ELSE 'upstream' END, g, e, e"
                + " FROM generate_series(1, 2000) g, (SELECT timestamptz '"
                + endedAt
                + "' AS e) x");
      }
      // 2031-03's rows came to the default partition first: its partition is made by LIKE
      s.execute("SELECT spend_log_ensure_partitions(timestamptz '2031-03-15', 0)");
      LedgerUpgrade.reserve(s, "old-1", 300);
      files = map(s, FILES);
      rows = map(s, ROWS);
    }
    assertThat(rows)
        .containsOnlyKeys(
            "spend_log_p203001", "spend_log_p203002", "spend_log_p203103", "spend_log_default");
    assertThat(files).hasSizeGreaterThan(4 * 7);

    try (PostgresAdapters adapters = PostgresAdapters.start(config);
        Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      // no partition rewritten, no index rebuilt (the server may have added partitions since)
      assertThat(map(s, FILES)).containsAllEntriesOf(files);
      assertThat(map(s, ROWS)).isEqualTo(rows);
      assertThat(
              one(
                  s,
                  "SELECT string_agg(DISTINCT format_type(a.atttypid, a.atttypmod), ',')"
                      + " FROM pg_attribute a JOIN pg_inherits i ON i.inhrelid = a.attrelid"
                      + " WHERE i.inhparent = 'spend_log'::regclass AND a.attname IN"
                      + " ('request_id', 'user_id', 'cost_nanos', 'status', 'usage_source')"))
          .isEqualTo("spend_count,spend_name,spend_status,spend_text,spend_usage_source");
      assertThat(one(s, "SELECT count(*) FROM spend_log_p203103 WHERE cost_nanos < 0"))
          .isEqualTo("0");
      // the indexes are still the ones queries use
      assertThat(
              one(
                  s,
                  "SELECT count(*) FROM pg_index x JOIN pg_inherits i ON i.inhrelid = x.indrelid"
                      + " WHERE i.inhparent = 'spend_log'::regclass AND x.indisvalid"
                      + " AND EXISTS (SELECT 1 FROM pg_inherits p WHERE p.inhrelid = x.indexrelid)"))
          .isEqualTo(String.valueOf(6 * countPartitions(s)));

      // leases off: reserve, refusal and the settle of the reservation held before the upgrade
      LedgerUpgrade.reserve(s, "new-1", 300);
      LedgerUpgrade.refusesTheUserLine(s);
      LedgerUpgrade.settlesTheOldReservationOnce(adapters, s);

      // leases on: a draw on "new-1" (ledger_write_batch, rows read as spend_log's row type)
      var draw =
          TestData.finished(TestData.pending("req-charge-1", "t1", NOW), Money.ofNanos(50), NOW);
      assertThat(adapters.stores().ledger().draw("new-1", "charge-1", draw)).isTrue();
      assertThat(one(s, "SELECT cost_nanos FROM spend_log WHERE reservation_id = 'charge-1'"))
          .isEqualTo("50");
      // the expiry of what is left of it
      assertThat(adapters.stores().ledger().expire(NOW.plusSeconds(3600))).isEqualTo(1);
      assertThat(
              one(
                  s,
                  "SELECT status || ':' || cost_nanos FROM spend_log WHERE reservation_id ="
                      + " 'new-1'"))
          .isEqualTo("EXPIRED:250");
      assertThat(LedgerUpgrade.counters(s)).isEqualTo("TEAM:420:0,USER:420:0");
    }
  }

  @Test
  void aConnectionOpenAcrossTheMigrationStillSettlesAndDraws() throws SQLException {
    DatabaseConfig config = databaseAt("129");
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      // this session's cached plans and row types are from before the migration
      LedgerUpgrade.reserve(s, "x-lease", 500, "t9", "u9");
      LedgerUpgrade.reserve(s, "x-a", 10, "t9", "u9");
      s.execute(draw("x-lease", "x-c1", 5));
      s.execute(settle("x-a", 7));

      try (PostgresAdapters adapters = PostgresAdapters.start(config)) {
        assertThat(
                one(
                    s,
                    "SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE"
                        + " attrelid = 'spend_log'::regclass AND attname = 'cost_nanos'"))
            .isEqualTo("spend_count");
      }

      LedgerUpgrade.reserve(s, "x-b", 10, "t9", "u9");
      s.execute(settle("x-b", 8));
      s.execute(draw("x-lease", "x-c2", 6));
      assertThat(
              one(
                  s,
                  "SELECT string_agg(reservation_id || ':' || cost_nanos, ',' ORDER BY"
                      + " reservation_id) FROM spend_log WHERE reservation_id LIKE 'x-%'"))
          .isEqualTo("x-a:7,x-b:8,x-c1:5,x-c2:6");
      SpendLogColumnDomainsTest.refused(s, settle("x-lease", -1));
    }
  }

  /** ledger_settle (leases off, V128) of one held reservation at {@code cost}. */
  private static String settle(String id, long cost) {
    return ("SELECT ledger_settle(true, '{%s}', '{req-%s}', '{k}', '{u9}', '{t9}', '{m}', '{d}',"
            + " '{1}', '{1}', '{0}', '{0}', '{REPORTED}', '{%d}', '{SUCCESS}', '{NULL}', '{1}',"
            + " ARRAY[timestamptz '2026-11-27T10:15:31Z'], ARRAY[timestamptz '2026-11-27T10:15:32Z'])")
        .formatted(id, id, cost);
  }

  /** ledger_write_batch (leases on, V116) of one draw of {@code cost} on {@code lease}. */
  private static String draw(String lease, String charge, long cost) {
    return ("SELECT ledger_write_batch('[{\"draw_from\": \"%s\", \"reservation_id\": \"%s\","
            + " \"request_id\": \"req-%s\", \"key_id\": \"k\", \"model\": \"m\","
            + " \"cost_nanos\": %d, \"status\": \"SUCCESS\", \"latency_ms\": 1, \"started_at\":"
            + " \"2026-11-27T10:15:31Z\", \"ended_at\": \"2026-11-27T10:15:32Z\"}]', true)")
        .formatted(lease, charge, charge, cost);
  }

  private static int countPartitions(Statement s) throws SQLException {
    return Integer.parseInt(
        one(s, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'spend_log'::regclass"));
  }
}

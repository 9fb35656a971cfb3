package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.one;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rows above the rollup watermark (the tail every report adds to the rollups, and what the next
 * rollup run reads) are found without reading the partition (V125). Rows committed after a vacuum
 * land wherever the free-space map finds room, in pages all over the partition, not at its end:
 * with V123's BRIN on txid every page range then held a new txid and matched, so the tail and each
 * rollup run read every block of every partition (docs/POSTGRES.md "The spend log").
 */
class SpendLogTailTest extends PostgresTestBase {
  private static final Instant T0 = Instant.parse("2036-04-01T00:00:00Z");

  @Test
  void theTailAndTheRollupReadAFewBlocksNotThePartition() throws SQLException {
    SpendLogMaintenance m = adapters.spendLogMaintenance(Optional.empty());
    m.ensurePartitions(T0);
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement()) {
      // 30,000 rows of realistic width over the month (one transaction), then vacuumed: the
      // free-space map now knows every page's leftover bytes, as autovacuum makes it in production.
      s.execute(
          "INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,"
              + " input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
              + " usage_source, cost_nanos, status, latency_ms, started_at, ended_at)"
              + " SELECT 'res-' || md5(g::text), 'chatcmpl-' || md5(g::text) || repeat('x', g % 60),"
              + " 'key-' || (g % 97), 'user-' || (g % 31), 'team-' || (g % 7), 'model-' || (g % 5),"
              + " 900, 300, 0, 0, 'REPORTED', 1000 + g, 'SUCCESS', 200, ts, ts"
              + " FROM generate_series(1, 30000) g,"
              + " LATERAL (SELECT timestamptz '2036-04-01T00:00:00Z' + g * interval '80 seconds'"
              + " AS ts) t");
      s.execute("VACUUM ANALYZE spend_log");
      // On this session, so that the measured run below finds the catalogs cached.
      s.execute("SELECT spend_rollup()");
      long blocks = Long.parseLong(one(s, "SELECT pg_relation_size('spend_log_p203604') / 8192"));
      assertThat(blocks).isGreaterThan(900);
      // 200 short rows (errors: no usage, a short request id) committed later: they fit in gaps.
      s.execute(
          "INSERT INTO spend_log (request_id, key_id, model, cost_nanos, status, error_type,"
              + " latency_ms, started_at, ended_at) SELECT 'r' || g, 'key-1', 'model-1', 0,"
              + " 'ERROR', 'upstream', 5, ts, ts FROM generate_series(1, 200) g,"
              + " LATERAL (SELECT timestamptz '2036-04-02T00:00:00Z' + g * interval '1 hour'"
              + " AS ts) t");
      String w = one(s, "SELECT rolled_below FROM spend_rollup_state");
      long tail =
          buffers(
              s,
              "SELECT count(*) FROM spend_log WHERE txid >= "
                  + w
                  + " AND ended_at >= '2036-04-02' AND ended_at < '2036-04-30'");
      long rollup = buffers(s, "SELECT spend_rollup()");
      assertThat(one(s, "SELECT sum(requests) FROM spend_daily")).isEqualTo("30200");
      // A few index pages and the heap pages holding the 200 rows, not the ~1,000 of the partition.
      assertThat(tail).as("blocks the tail read, of %d", blocks).isLessThan(blocks / 3);
      // The rollup also upserts the days' groups into four rollup tables (V126: ~470 blocks in
      // all here, ~200 of them the rows' heap pages); reading the partition would touch all 1,050.
      assertThat(rollup).as("blocks the rollup read, of %d", blocks).isLessThan(blocks / 2);
    }
  }

  /**
   * Shared blocks (hit or read) that {@code sql} touched, spend_rollup()'s own queries included.
   */
  private static long buffers(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)) {
      rs.next();
      String json = rs.getString(1);
      return field(json, "\"Shared Hit Blocks\": ") + field(json, "\"Shared Read Blocks\": ");
    }
  }

  /** The first (top node's) value of {@code name} in the plan. */
  private static long field(String json, String name) {
    int at = json.indexOf(name) + name.length();
    int end = at;
    while (Character.isDigit(json.charAt(end))) {
      end++;
    }
    return Long.parseLong(json.substring(at, end));
  }
}

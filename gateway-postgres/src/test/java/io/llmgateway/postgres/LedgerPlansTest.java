package io.llmgateway.postgres;

import static io.llmgateway.postgres.SpendSql.one;
import static io.llmgateway.postgres.TestData.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The ledger's settles and batched reserves reach reservations, their lines and the counters by
 * primary key whatever the statistics say (V130). Each call runs as the first transaction of a new
 * connection (so the function plans then, from the statistics of that moment, as a gateway's pooled
 * connection does) and is judged by PostgreSQL's own scan counts for that transaction: no
 * sequential scan of the three tables and no scan of any other index of reservations (the
 * sweeper's, whose settled entries stay until vacuum). Before V130 the young database's settle
 * hashed a sequential scan of every reservation, and with statistics showing few held reservations
 * it read the sweeper's index in full.
 */
class LedgerPlansTest {
  private static final String NONE =
      "budget_counters 0, reservation_lines 0, reservations 0; other reservation indexes 0";

  @Test
  void onAYoungDatabaseNoCallScansATable() throws SQLException {
    DatabaseConfig config = PostgresFixture.freshDatabase();
    PostgresAdapters.migrate(config);
    everyCallProbesPrimaryKeys(config);
  }

  @Test
  void withStatisticsShowingFewHeldReservationsNoCallReadsTheSweepersIndex() throws SQLException {
    DatabaseConfig config = PostgresFixture.freshDatabase();
    PostgresAdapters.migrate(config);
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      s.execute(
          "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at, settled_at,"
              + " pending) SELECT 'done-' || g, 1, 'settled', now(), now() + interval '1 min',"
              + " now(), '{}' FROM generate_series(1, 20000) g");
      s.execute(
          "INSERT INTO reservation_lines SELECT 'done-' || g, 'TEAM', 't1', 'DAILY',"
              + " '2026-11-27@UTC' FROM generate_series(1, 20000) g");
      LedgerUpgrade.reserve(s, "held-0", 1);
      s.execute("ANALYZE reservations, reservation_lines, budget_counters");
    }
    everyCallProbesPrimaryKeys(config);
  }

  private static void everyCallProbesPrimaryKeys(DatabaseConfig config) throws SQLException {
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) {
      for (String id : List.of("r-1", "r-2", "r-3", "r-4", "lease-1")) {
        LedgerUpgrade.reserve(s, id, 1);
      }
    }
    // the leases-off path's settle (columns), the lease path's (JSON), a batch of two reserves
    assertThat(scans(config, c -> SettleColumns.write(c, settles("r-1", "r-2", "r-3"), false)))
        .isEqualTo(NONE);
    assertThat(
            scans(
                config,
                c -> {
                  try (PreparedStatement ps =
                      c.prepareStatement("SELECT ledger_write_batch(CAST(? AS jsonb), false)")) {
                    ps.setString(1, SpendRows.batchJson(settles("r-4")));
                    ps.execute();
                  }
                }))
        .isEqualTo(NONE);
    // the lease path's draws: a batch of draws alone (columns), a draw in a JSON batch (V136: both
    // through ledger_draw_spend and ledger_move_counters)
    assertThat(scans(config, c -> SettleColumns.write(c, draws("lease-1", "d-1", "d-2"), false)))
        .isEqualTo(NONE);
    assertThat(
            scans(
                config,
                c -> {
                  try (PreparedStatement ps =
                      c.prepareStatement("SELECT ledger_write_batch(CAST(? AS jsonb), false)")) {
                    ps.setString(1, SpendRows.batchJson(draws("lease-1", "d-3")));
                    ps.execute();
                  }
                }))
        .isEqualTo(NONE);
    assertThat(
            scans(
                config,
                c -> {
                  try (Statement s = c.createStatement()) {
                    s.execute(reserveBatch("b-1", "b-2"));
                  }
                }))
        .isEqualTo(NONE);
    try (Connection c = SpendLogMigrationTest.connect(config);
        Statement s = c.createStatement()) { // the calls did their work
      assertThat(one(s, "SELECT count(*) FROM spend_log WHERE reservation_id LIKE 'r-%'"))
          .isEqualTo("4");
      assertThat(one(s, "SELECT count(*) FROM reservations WHERE id LIKE 'b-%'")).isEqualTo("2");
      assertThat(one(s, "SELECT count(*) FROM spend_log WHERE reservation_id LIKE 'd-%'"))
          .isEqualTo("3");
    }
  }

  private interface Call {
    void run(Connection c) throws SQLException;
  }

  /** What {@code call} scanned, run and committed as the first transaction of a new connection. */
  private static String scans(DatabaseConfig config, Call call) throws SQLException {
    try (Connection c = SpendLogMigrationTest.connect(config)) {
      c.setAutoCommit(false);
      call.run(c);
      String scanned;
      try (Statement s = c.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT string_agg(relname || ' ' || seq_scan, ', ' ORDER BY relname)"
                      + " FROM pg_stat_xact_user_tables WHERE relname IN ('budget_counters',"
                      + " 'reservation_lines', 'reservations')),"
                      + " (SELECT sum(pg_stat_get_xact_numscans(indexrelid)) FROM pg_index"
                      + " WHERE indrelid = 'reservations'::regclass AND NOT indisprimary)")) {
        rs.next();
        scanned = rs.getString(1) + "; other reservation indexes " + rs.getLong(2);
      }
      c.commit();
      return scanned;
    }
  }

  private static List<Settlement> settles(String... ids) {
    return Arrays.stream(ids)
        .<Settlement>map(
            id ->
                new Settlement.Settle(
                    id,
                    TestData.finished(
                        TestData.pending("req-" + id, "t1", NOW), Money.ofNanos(1), NOW)))
        .toList();
  }

  /** Draws of 1 on {@code lease} (reserved at 1: it stops at zero), one per charge id. */
  private static List<Settlement> draws(String lease, String... charges) {
    return Arrays.stream(charges)
        .<Settlement>map(
            charge ->
                new Settlement.Draw(
                    lease,
                    charge,
                    TestData.finished(
                        TestData.pending("req-" + charge, "t1", NOW), Money.ofNanos(1), NOW)))
        .toList();
  }

  /**
   * A batch of reserves of 1, each on LedgerUpgrade's two lines, as the gateway sends it: columns
   * (V135), the lines flattened in request order.
   */
  private static String reserveBatch(String... ids) {
    List<String> items = Arrays.stream(ids).map(id -> "'" + id + "'").toList();
    List<String> pending =
        Arrays.stream(ids)
            .map(
                id ->
                    ("'{\"requestId\": \"req-%s\", \"keyId\": \"k\", \"model\": \"m\","
                            + " \"startedAt\": \"2026-11-27T10:15:30Z\"}'")
                        .formatted(id))
            .toList();
    List<String> lineItems = new ArrayList<>();
    for (int i = 1; i <= ids.length; i++) {
      lineItems.add(i + ", " + i);
    }
    int n = ids.length;
    return "SELECT * FROM ledger_reserve_batch("
        + String.join(
            ", ",
            array(items, ""),
            array(Collections.nCopies(n, "1"), "::bigint[]"),
            array(Collections.nCopies(n, "'2026-11-27T10:15:30Z'"), "::timestamptz[]"),
            array(Collections.nCopies(n, "'2026-11-27T10:16:30Z'"), "::timestamptz[]"),
            array(pending, ""),
            array(lineItems, ""),
            array(Collections.nCopies(n, "'TEAM', 'USER'"), ""),
            array(Collections.nCopies(n, "'t1', 'u1'"), ""),
            array(Collections.nCopies(n, "'DAILY', 'MONTHLY'"), ""),
            array(Collections.nCopies(n, "'2026-11-27@UTC', '2026-11@UTC'"), ""),
            array(Collections.nCopies(n, "1000, 700"), "::bigint[]"),
            array(
                Collections.nCopies(n, "'2026-11-28T00:00:00Z', '2026-12-01T00:00:00Z'"),
                "::timestamptz[]"))
        + ")";
  }

  private static String array(List<String> elements, String cast) {
    return "ARRAY[" + String.join(", ", elements) + "]" + cast;
  }
}

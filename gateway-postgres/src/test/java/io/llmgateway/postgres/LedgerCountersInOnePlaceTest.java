package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A reservation's move out of its counters (reserved -= what leaves it, committed += what it is
 * charged, summed per counter and written in lock order) is written once, in ledger_move_counters
 * (V136), and every function that ends or shrinks reservations calls it: ledger_settle,
 * ledger_write_batch, ledger_draw and the sweeper's ledger_release. Before V136 four functions each
 * had their own copy of that UPDATE (ledger_settle V128, ledger_write_batch V133, ledger_draw V134,
 * and ledger_release's per-counter loop of V2). Likewise the lease draws (each lease shrinking by
 * what its written draws cost) are written once, in ledger_draw_spend, which ledger_draw and
 * ledger_write_batch call (before V136 each had its own statements, V133 and V134).
 *
 * <p>Other writes of budget_counters are different decisions and stay where they are: the reserves
 * add to reserved only (ledger_reserve, ledger_reserve_batch), ledger_seed_counter raises committed
 * to what the spend log shows.
 */
class LedgerCountersInOnePlaceTest extends PostgresTestBase {

  /** {@code reserved_nanos = [x.]reserved_nanos - ...}, what leaves reserved. */
  private static final Pattern RELEASES =
      Pattern.compile("reserved_nanos\\s*=\\s*(\\w+\\.)?reserved_nanos\\s*-");

  /** {@code committed_nanos = [x.]committed_nanos + ...}, what enters committed. */
  private static final Pattern CHARGES =
      Pattern.compile("committed_nanos\\s*=\\s*(\\w+\\.)?committed_nanos\\s*\\+");

  /** {@code drawn_nanos = [x.]drawn_nanos + ...}, a lease's draws. */
  private static final Pattern DRAWS =
      Pattern.compile("drawn_nanos\\s*=\\s*(\\w+\\.)?drawn_nanos\\s*\\+");

  @Test
  void onlyLedgerMoveCountersMovesReservedIntoCommitted() throws SQLException {
    assertThat(functionsWhoseBodyHas(RELEASES, CHARGES)).containsExactly("ledger_move_counters");
  }

  @Test
  void onlyLedgerDrawSpendShrinksLeasesByTheirDraws() throws SQLException {
    assertThat(functionsWhoseBodyHas(DRAWS)).containsExactly("ledger_draw_spend");
  }

  /**
   * Each function's SET options as V130, V133 and V134 left them (CREATE OR REPLACE FUNCTION
   * replaces them with what it states), and the two new functions plan as their callers do.
   */
  @Test
  void theLedgerFunctionsKeepTheirPlanSettings() throws SQLException {
    String byKey = "{enable_seqscan=off,enable_bitmapscan=off}";
    String generic =
        "{plan_cache_mode=force_generic_plan,enable_seqscan=off,enable_bitmapscan=off}";
    assertThat(settings())
        .containsEntry("ledger_move_counters", generic)
        .containsEntry("ledger_draw_spend", generic)
        .containsEntry("ledger_draw", generic)
        .containsEntry("ledger_settle", generic)
        .containsEntry("ledger_write_batch", generic)
        .containsEntry("ledger_release", byKey)
        .containsEntry("ledger_abandon", byKey)
        .containsEntry("ledger_reserve_batch", byKey);
  }

  private Map<String, String> settings() throws SQLException {
    Map<String, String> byName = new HashMap<>();
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT proname, coalesce(proconfig::text, '') FROM pg_proc"
                    + " WHERE pronamespace = current_schema()::regnamespace"
                    + " AND proname LIKE 'ledger%'")) {
      while (rs.next()) {
        byName.put(rs.getString(1), rs.getString(2));
      }
    }
    return byName;
  }

  /** The functions of the gateway's schema whose body matches every one of {@code patterns}. */
  private List<String> functionsWhoseBodyHas(Pattern... patterns) throws SQLException {
    List<String> names = new ArrayList<>();
    try (Connection c = adapters.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang"
                    + " WHERE p.pronamespace = current_schema()::regnamespace"
                    + " AND l.lanname IN ('plpgsql', 'sql') ORDER BY p.proname")) {
      while (rs.next()) {
        String body = rs.getString(2);
        boolean all = true;
        for (Pattern p : patterns) {
          all &= p.matcher(body).find();
        }
        if (all) {
          names.add(rs.getString(1));
        }
      }
    }
    return names;
  }
}

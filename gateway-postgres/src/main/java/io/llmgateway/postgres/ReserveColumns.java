package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A batch of reserves as {@code ledger_reserve_batch} takes it since V135: one array per request
 * field (ids, amounts, times, pending records), then the requests' lines flattened in request
 * order, each naming its request's 1-based position; PostgreSQL reads them without decoding JSON.
 * Built before a connection is taken, bound once one is.
 */
final class ReserveColumns {
  /** Many reserves in one statement and one commit (V103, V132; as columns since V135). */
  static final String RESERVE_BATCH =
      "SELECT item, line, committed, reserved FROM ledger_reserve_batch(?, ?,"
          + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]), ?, ?, ?, ?, ?, ?, ?,"
          + " CAST(? AS timestamptz[]))";

  private final String[] ids;
  private final Long[] amounts;
  private final String[] nows;
  private final String[] expires;
  private final String[] pending;
  private final Integer[] lineItems;
  private final LineColumns lines;

  /**
   * {@code lines.get(i)}: request i's lines in the order they are decided (lock order); {@code
   * period}: a counter's period as the ledger stores it.
   */
  ReserveColumns(
      List<ReservationRequest> requests,
      List<List<BudgetLine>> lines,
      Function<CounterKey, String> period) {
    int n = requests.size();
    ids = new String[n];
    amounts = new Long[n];
    nows = new String[n];
    expires = new String[n];
    pending = new String[n];
    List<BudgetLine> flat = new ArrayList<>();
    List<Integer> items = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ReservationRequest r = requests.get(i);
      ids[i] = r.reservationId();
      amounts[i] = r.amount().nanos();
      nows[i] = r.now().toString();
      expires[i] = r.expiresAt().toString();
      pending[i] = SpendRows.pendingJson(r.pending());
      for (BudgetLine l : lines.get(i)) {
        flat.add(l);
        items.add(i + 1);
      }
    }
    lineItems = items.toArray(Integer[]::new);
    this.lines = new LineColumns(flat, period);
  }

  /** The batch as {@link #RESERVE_BATCH}'s parameters. */
  void bind(Connection c, PreparedStatement ps) throws SQLException {
    ps.setArray(1, c.createArrayOf("text", ids));
    ps.setArray(2, c.createArrayOf("bigint", amounts));
    ps.setArray(3, c.createArrayOf("text", nows));
    ps.setArray(4, c.createArrayOf("text", expires));
    ps.setArray(5, c.createArrayOf("text", pending));
    ps.setArray(6, c.createArrayOf("int", lineItems));
    lines.bind(c, ps, 7);
  }
}

package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
  private final String[] kinds;
  private final String[] scopes;
  private final String[] windows;
  private final String[] periods;
  private final Long[] limits;
  private final String[] resets;

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
    int count = lines.stream().mapToInt(List::size).sum();
    lineItems = new Integer[count];
    kinds = new String[count];
    scopes = new String[count];
    windows = new String[count];
    periods = new String[count];
    limits = new Long[count];
    resets = new String[count];
    int at = 0;
    for (int i = 0; i < n; i++) {
      ReservationRequest r = requests.get(i);
      ids[i] = r.reservationId();
      amounts[i] = r.amount().nanos();
      nows[i] = r.now().toString();
      expires[i] = r.expiresAt().toString();
      pending[i] = SpendRows.pendingJson(r.pending());
      for (BudgetLine l : lines.get(i)) {
        CounterKey k = l.counter();
        lineItems[at] = i + 1;
        kinds[at] = k.scope().kind().name();
        scopes[at] = k.scope().id();
        windows[at] = k.window().name();
        periods[at] = period.apply(k);
        limits[at] = l.limit().nanos();
        resets[at] = l.resetsAt().toString();
        at++;
      }
    }
  }

  /** The batch as {@link #RESERVE_BATCH}'s parameters. */
  void bind(Connection c, PreparedStatement ps) throws SQLException {
    ps.setArray(1, c.createArrayOf("text", ids));
    ps.setArray(2, c.createArrayOf("bigint", amounts));
    ps.setArray(3, c.createArrayOf("text", nows));
    ps.setArray(4, c.createArrayOf("text", expires));
    ps.setArray(5, c.createArrayOf("text", pending));
    ps.setArray(6, c.createArrayOf("int", lineItems));
    ps.setArray(7, c.createArrayOf("text", kinds));
    ps.setArray(8, c.createArrayOf("text", scopes));
    ps.setArray(9, c.createArrayOf("text", windows));
    ps.setArray(10, c.createArrayOf("text", periods));
    ps.setArray(11, c.createArrayOf("bigint", limits));
    ps.setArray(12, c.createArrayOf("text", resets));
  }
}

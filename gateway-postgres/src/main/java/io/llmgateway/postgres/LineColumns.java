package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterKey;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * Budget lines as the ledger's reserve functions take them (V128's and V137's {@code
 * ledger_reserve}, V135's {@code ledger_reserve_batch}): six arrays, kinds, scope ids, windows,
 * stored periods, limits and reset times, in the order the lines are given. The one place a line
 * becomes columns.
 */
final class LineColumns {
  private final String[] kinds;
  private final String[] scopes;
  private final String[] windows;
  private final String[] periods;
  private final Long[] limits;
  private final String[] resets;

  /** {@code period}: a counter's period as the ledger stores it. */
  LineColumns(List<BudgetLine> lines, Function<CounterKey, String> period) {
    int n = lines.size();
    kinds = new String[n];
    scopes = new String[n];
    windows = new String[n];
    periods = new String[n];
    limits = new Long[n];
    resets = new String[n];
    for (int i = 0; i < n; i++) {
      BudgetLine l = lines.get(i);
      CounterKey k = l.counter();
      kinds[i] = k.scope().kind().name();
      scopes[i] = k.scope().id();
      windows[i] = k.window().name();
      periods[i] = period.apply(k);
      limits[i] = l.limit().nanos();
      resets[i] = l.resetsAt().toString();
    }
  }

  /** Binds the six arrays to parameters {@code first} to {@code first + 5}. */
  void bind(Connection c, PreparedStatement ps, int first) throws SQLException {
    ps.setArray(first, c.createArrayOf("text", kinds));
    ps.setArray(first + 1, c.createArrayOf("text", scopes));
    ps.setArray(first + 2, c.createArrayOf("text", windows));
    ps.setArray(first + 3, c.createArrayOf("text", periods));
    ps.setArray(first + 4, c.createArrayOf("bigint", limits));
    ps.setArray(first + 5, c.createArrayOf("text", resets));
  }
}

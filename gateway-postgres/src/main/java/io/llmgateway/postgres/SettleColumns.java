package io.llmgateway.postgres;

import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.spend.SpendRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A batch of plain settles written by {@code ledger_settle} (V124), or a batch of budget-lease
 * draws written by {@code ledger_draw} (V134): the spend rows as one array per column, which
 * PostgreSQL reads without decoding JSON. Batches that mix kinds, or carry a lease's release, still
 * go to {@code ledger_write_batch} as JSON (one statement must take every counter of a batch in
 * lock order, so a mixed batch cannot be split in two calls).
 */
final class SettleColumns {
  private SettleColumns() {}

  private static final String SETTLE =
      "SELECT ledger_settle(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]))";

  private static final String DRAW =
      "SELECT ledger_draw(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
          + " CAST(? AS timestamptz[]), CAST(? AS timestamptz[]))";

  /** Whether every settlement is a plain settle, or every one a lease draw. */
  static boolean applies(List<Settlement> settlements) {
    return all(settlements, Settlement.Settle.class) || all(settlements, Settlement.Draw.class);
  }

  private static boolean all(List<Settlement> settlements, Class<? extends Settlement> kind) {
    for (Settlement s : settlements) {
      if (!kind.isInstance(s)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes a batch that {@link #applies} in one statement: the number of reservations settled (held
   * until now), or of draws written (on leases still held, each charge once).
   */
  static int write(Connection c, List<Settlement> settlements, boolean durable)
      throws SQLException {
    boolean draws = !settlements.isEmpty() && settlements.get(0) instanceof Settlement.Draw;
    int n = settlements.size();
    String[] leases = new String[n];
    String[] ids = new String[n];
    String[] requests = new String[n];
    String[] keys = new String[n];
    String[] users = new String[n];
    String[] teams = new String[n];
    String[] models = new String[n];
    String[] deployments = new String[n];
    Long[] input = new Long[n];
    Long[] output = new Long[n];
    Long[] cacheRead = new Long[n];
    Long[] cacheWrite = new Long[n];
    String[] sources = new String[n];
    Long[] costs = new Long[n];
    String[] statuses = new String[n];
    String[] errors = new String[n];
    Long[] latencies = new Long[n];
    String[] started = new String[n];
    String[] ended = new String[n];
    for (int i = 0; i < n; i++) {
      Settlement s = settlements.get(i);
      SpendRecord r = s.record();
      if (s instanceof Settlement.Draw d) { // the spend row's key is the draw's own charge id
        leases[i] = d.reservationId();
        ids[i] = d.chargeId();
      } else {
        ids[i] = s.reservationId();
      }
      requests[i] = r.requestId();
      keys[i] = r.keyId();
      users[i] = r.userId().orElse(null);
      teams[i] = r.teamId().orElse(null);
      models[i] = r.model();
      deployments[i] = r.deploymentId().orElse(null);
      if (r.usage().isPresent()) {
        TokenUsage u = r.usage().get();
        input[i] = u.inputTokens();
        output[i] = u.outputTokens();
        cacheRead[i] = u.cacheReadTokens();
        cacheWrite[i] = u.cacheWriteTokens();
        sources[i] = u.source().name();
      }
      costs[i] = r.cost().nanos();
      statuses[i] = r.status().name();
      errors[i] = r.errorCode().orElse(null);
      latencies[i] = r.latencyMillis();
      // ISO-8601, as the JSON path wrote them: PostgreSQL reads them as timestamptz
      started[i] = r.startedAt().toString();
      ended[i] = r.endedAt().toString();
    }
    try (PreparedStatement ps = c.prepareStatement(draws ? DRAW : SETTLE)) {
      int p = 1;
      ps.setBoolean(p++, durable);
      if (draws) {
        ps.setArray(p++, c.createArrayOf("text", leases));
      }
      for (String[] texts : List.of(ids, requests, keys, users, teams, models, deployments)) {
        ps.setArray(p++, c.createArrayOf("text", texts));
      }
      for (Long[] longs : List.of(input, output, cacheRead, cacheWrite)) {
        ps.setArray(p++, c.createArrayOf("bigint", longs));
      }
      ps.setArray(p++, c.createArrayOf("text", sources));
      ps.setArray(p++, c.createArrayOf("bigint", costs));
      ps.setArray(p++, c.createArrayOf("text", statuses));
      ps.setArray(p++, c.createArrayOf("text", errors));
      ps.setArray(p++, c.createArrayOf("bigint", latencies));
      ps.setArray(p++, c.createArrayOf("text", started));
      ps.setArray(p, c.createArrayOf("text", ended));
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}

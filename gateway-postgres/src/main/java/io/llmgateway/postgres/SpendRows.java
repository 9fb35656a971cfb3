package io.llmgateway.postgres;

import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/** Writing and reading spend_log rows, and the pending record kept with a reservation. */
final class SpendRows {
  private SpendRows() {}

  static SpendRecord map(ResultSet rs, StatementContext ctx) throws SQLException {
    Optional<TokenUsage> usage = Optional.empty();
    String source = rs.getString("usage_source");
    if (source != null) {
      usage =
          Optional.of(
              new TokenUsage(
                  rs.getLong("input_tokens"),
                  rs.getLong("output_tokens"),
                  rs.getLong("cache_read_tokens"),
                  rs.getLong("cache_write_tokens"),
                  TokenUsage.Source.valueOf(source)));
    }
    return new SpendRecord(
        rs.getString("request_id"),
        rs.getString("key_id"),
        Rows.optionalString(rs, "user_id"),
        Rows.optionalString(rs, "team_id"),
        rs.getString("model"),
        Rows.optionalString(rs, "deployment_id"),
        usage,
        Money.ofNanos(rs.getLong("cost_nanos")),
        SpendStatus.valueOf(rs.getString("status")),
        Rows.optionalString(rs, "error_type"),
        rs.getLong("latency_ms"),
        Rows.instant(rs, "started_at"),
        Rows.instant(rs, "ended_at"));
  }

  /**
   * Settlements as the JSON array that ledger_write_batch (V104, V106) reads: spend_log rows
   * (column names as keys; instants in ISO-8601, which PostgreSQL reads as timestamptz), a draw's
   * with the lease in {@code draw_from} and its own charge id as reservation_id; a release as
   * {@code {"release": id, "drawn": nanos}}.
   */
  static String batchJson(List<Settlement> settlements) {
    List<Map<String, Object>> rows = new ArrayList<>(settlements.size());
    for (Settlement s : settlements) {
      rows.add(row(s));
    }
    return Json.writeValue(rows);
  }

  /** One element of ledger_write_batch's input. */
  static Map<String, Object> row(Settlement s) {
    Map<String, Object> m = new HashMap<>(32);
    switch (s) {
      case Settlement.Release x -> {
        return releaseRow(x.reservationId(), x.drawn());
      }
      case Settlement.Draw x -> {
        m.put("draw_from", x.reservationId());
        m.put("reservation_id", x.chargeId());
      }
      case Settlement.Settle x -> m.put("reservation_id", x.reservationId());
    }
    SpendRecord r = s.record();
    m.put("request_id", r.requestId());
    m.put("key_id", r.keyId());
    m.put("user_id", r.userId().orElse(null));
    m.put("team_id", r.teamId().orElse(null));
    m.put("model", r.model());
    m.put("deployment_id", r.deploymentId().orElse(null));
    r.usage()
        .ifPresent(
            u -> {
              m.put("input_tokens", u.inputTokens());
              m.put("output_tokens", u.outputTokens());
              m.put("cache_read_tokens", u.cacheReadTokens());
              m.put("cache_write_tokens", u.cacheWriteTokens());
              m.put("usage_source", u.source().name());
            });
    m.put("cost_nanos", r.cost().nanos());
    m.put("status", r.status().name());
    m.put("error_type", r.errorCode().orElse(null));
    m.put("latency_ms", r.latencyMillis());
    m.put("started_at", r.startedAt().toString());
    m.put("ended_at", r.endedAt().toString());
    return m;
  }

  /**
   * A release in ledger_write_batch's input (V106): the lease to end and what its holder drew on
   * it; draws the database never saw are charged.
   */
  static Map<String, Object> releaseRow(String reservationId, Money drawn) {
    return Map.of("release", reservationId, "drawn", drawn.nanos());
  }

  /** What the sweeper needs to write the row of a request nobody settled. */
  static String pendingJson(SpendRecord p) {
    return Json.write(pending(p));
  }

  /** {@link #pendingJson} as a map, for embedding in a larger JSON document. */
  static Map<String, Object> pending(SpendRecord p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requestId", p.requestId());
    m.put("keyId", p.keyId());
    p.userId().ifPresent(v -> m.put("userId", v));
    p.teamId().ifPresent(v -> m.put("teamId", v));
    m.put("model", p.model());
    p.deploymentId().ifPresent(v -> m.put("deploymentId", v));
    m.put("startedAt", p.startedAt().toString());
    return m;
  }
}

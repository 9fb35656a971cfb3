package io.llmgateway.postgres;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.SqlStatement;
import org.jdbi.v3.core.statement.StatementContext;

/** Writing and reading spend_log rows, and the pending record kept with a reservation. */
final class SpendRows {
  private SpendRows() {}

  /** spend_log's columns as written by settle, in the order of {@link #VALUES}. */
  static final String COLUMNS =
      "reservation_id, request_id, key_id, user_id, team_id, model, deployment_id, input_tokens,"
          + " output_tokens, cache_read_tokens, cache_write_tokens, usage_source, cost_nanos,"
          + " status, error_type, latency_ms, started_at, ended_at";

  /** Placeholders after reservation_id, bound by {@link #bind}. */
  static final String VALUES =
      ":request, :key, :user, :team, :model, :deployment, :in, :out, :cr, :cw, :source, :cost,"
          + " :status, :error, :latency, CAST(:started AS timestamptz), CAST(:ended AS"
          + " timestamptz)";

  static <S extends SqlStatement<S>> S bind(S s, SpendRecord r) {
    Optional<TokenUsage> u = r.usage();
    return s.bind("request", r.requestId())
        .bind("key", r.keyId())
        .bind("user", r.userId().orElse(null))
        .bind("team", r.teamId().orElse(null))
        .bind("model", r.model())
        .bind("deployment", r.deploymentId().orElse(null))
        .bind("in", u.map(TokenUsage::inputTokens).orElse(null))
        .bind("out", u.map(TokenUsage::outputTokens).orElse(null))
        .bind("cr", u.map(TokenUsage::cacheReadTokens).orElse(null))
        .bind("cw", u.map(TokenUsage::cacheWriteTokens).orElse(null))
        .bind("source", u.map(x -> x.source().name()).orElse(null))
        .bind("cost", r.cost().nanos())
        .bind("status", r.status().name())
        .bind("error", r.errorCode().orElse(null))
        .bind("latency", r.latencyMillis())
        .bind("started", r.startedAt())
        .bind("ended", r.endedAt());
  }

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

  /** What the sweeper needs to write the row of a request nobody settled. */
  static String pendingJson(SpendRecord p) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("requestId", p.requestId());
    m.put("keyId", p.keyId());
    p.userId().ifPresent(v -> m.put("userId", v));
    p.teamId().ifPresent(v -> m.put("teamId", v));
    m.put("model", p.model());
    p.deploymentId().ifPresent(v -> m.put("deploymentId", v));
    m.put("startedAt", p.startedAt().toString());
    return Json.write(m);
  }
}

package io.llmgateway.postgres;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Writing and reading spend_log rows, and the pending record kept with a reservation. */
final class SpendRows {
  /** The error type written on a spend row charged by the sweeper. */
  static final String EXPIRED_ERROR = "reservation_expired";

  private SpendRows() {}

  static void insert(Handle h, String reservationId, SpendRecord r) {
    Optional<TokenUsage> u = r.usage();
    h.createUpdate(
            "INSERT INTO spend_log (reservation_id, request_id, key_id, user_id, team_id, model,"
                + " deployment_id, input_tokens, output_tokens, cache_read_tokens,"
                + " cache_write_tokens, usage_source, cost_nanos, status, error_type, latency_ms,"
                + " started_at, ended_at) VALUES (:rid, :request, :key, :user, :team, :model,"
                + " :deployment, :in, :out, :cr, :cw, :source, :cost, :status, :error, :latency,"
                + " :started, :ended)")
        .bind("rid", reservationId)
        .bind("request", r.requestId())
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
        .bind("ended", r.endedAt())
        .execute();
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

  /** The spend row of an expired reservation: charged the full amount held, usage unknown. */
  static SpendRecord expiredRecord(String pendingJson, Money amount, Instant now) {
    Map<String, Object> m = Json.read(pendingJson);
    Instant started = Instant.parse((String) m.get("startedAt"));
    return new SpendRecord(
        (String) m.get("requestId"),
        (String) m.get("keyId"),
        Optional.ofNullable((String) m.get("userId")),
        Optional.ofNullable((String) m.get("teamId")),
        (String) m.get("model"),
        Optional.ofNullable((String) m.get("deploymentId")),
        Optional.empty(),
        amount,
        SpendStatus.EXPIRED,
        Optional.of(EXPIRED_ERROR),
        Math.max(0, now.toEpochMilli() - started.toEpochMilli()),
        started,
        now);
  }
}

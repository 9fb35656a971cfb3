package io.llmgateway.server.ui;

import io.llmgateway.core.spend.SpendBucket;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpreadsheetCells;
import java.util.Locale;

/**
 * Spend records as CSV lines: every field quoted (RFC 4180), its text defused for spreadsheets
 * ({@link SpreadsheetCells}: formula starts after any separator, not only the first character).
 * Stateless.
 */
final class SpendCsv {
  static final String HEADER =
      "\"ended_at\",\"request_id\",\"key_id\",\"user_id\",\"team_id\",\"model\","
          + "\"deployment_id\",\"status\",\"input_tokens\",\"output_tokens\",\"cost_usd\","
          + "\"latency_ms\",\"error_code\"\r\n";

  /** The header of a usage series export ({@link #appendBucket}). */
  static final String SERIES_HEADER =
      "\"bucket_start\",\"group\",\"label\",\"requests\",\"input_tokens\","
          + "\"output_tokens\",\"cost_usd\"\r\n";

  private SpendCsv() {}

  /** One bucket of a usage series: its start, group id and label (text, defused), totals. */
  static void appendBucket(
      StringBuilder out, String start, String group, String label, SpendBucket b) {
    field(out, start).append(',');
    field(out, group).append(',');
    field(out, label).append(',');
    number(out, Long.toString(b.requests())).append(',');
    number(out, Long.toString(b.inputTokens())).append(',');
    number(out, Long.toString(b.outputTokens())).append(',');
    number(out, b.cost().toUsdString()).append("\r\n");
  }

  static void append(StringBuilder out, SpendRecord r) {
    field(out, r.endedAt().toString()).append(',');
    field(out, r.requestId()).append(',');
    field(out, r.keyId()).append(',');
    field(out, r.userId().orElse("")).append(',');
    field(out, r.teamId().orElse("")).append(',');
    field(out, r.model()).append(',');
    field(out, r.deploymentId().orElse("")).append(',');
    field(out, r.status().name().toLowerCase(Locale.ROOT)).append(',');
    number(out, r.usage().map(u -> u.promptTokens()).orElse(0L).toString()).append(',');
    number(out, r.usage().map(u -> u.outputTokens()).orElse(0L).toString()).append(',');
    number(out, r.cost().toUsdString()).append(',');
    number(out, Long.toString(r.latencyMillis())).append(',');
    field(out, r.errorCode().orElse("")).append("\r\n");
  }

  /** A text field: quoted, with every formula start defused. */
  static StringBuilder field(StringBuilder out, String value) {
    return out.append('"').append(SpreadsheetCells.defuse(value).replace("\"", "\"\"")).append('"');
  }

  /** A number this class formatted itself (digits, '.', never a formula): quoted only. */
  private static StringBuilder number(StringBuilder out, String digits) {
    return out.append('"').append(digits).append('"');
  }
}

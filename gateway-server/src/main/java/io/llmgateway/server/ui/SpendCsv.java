package io.llmgateway.server.ui;

import io.llmgateway.core.spend.SpendRecord;
import java.util.Locale;

/**
 * Spend records as CSV lines. Fields are quoted when needed (RFC 4180) and any field starting with
 * {@code = + - @} or a tab/CR is prefixed with {@code '} so a spreadsheet never evaluates it as a
 * formula (OWASP "CSV injection"): model names and ids come from admins and clients. Stateless.
 */
final class SpendCsv {
  static final String HEADER =
      "ended_at,request_id,key_id,user_id,team_id,model,deployment_id,status,input_tokens,"
          + "output_tokens,cost_usd,latency_ms,error_code\r\n";

  private SpendCsv() {}

  static void append(StringBuilder out, SpendRecord r) {
    field(out, r.endedAt().toString()).append(',');
    field(out, r.requestId()).append(',');
    field(out, r.keyId()).append(',');
    field(out, r.userId().orElse("")).append(',');
    field(out, r.teamId().orElse("")).append(',');
    field(out, r.model()).append(',');
    field(out, r.deploymentId().orElse("")).append(',');
    field(out, r.status().name().toLowerCase(Locale.ROOT)).append(',');
    out.append(r.usage().map(u -> u.promptTokens()).orElse(0L)).append(',');
    out.append(r.usage().map(u -> u.outputTokens()).orElse(0L)).append(',');
    out.append(r.cost().toUsdString()).append(',');
    out.append(r.latencyMillis()).append(',');
    field(out, r.errorCode().orElse("")).append("\r\n");
  }

  static StringBuilder field(StringBuilder out, String value) {
    String v = value;
    if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
      v = "'" + v;
    }
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      out.append('"').append(v.replace("\"", "\"\"")).append('"');
    } else {
      out.append(v);
    }
    return out;
  }
}

package io.llmgateway.server.ui;

import io.llmgateway.core.spend.SpendRecord;
import java.util.Locale;

/**
 * Spend records as CSV lines (OWASP "CSV injection": model names and ids come from admins and
 * clients). Every field is quoted (RFC 4180), and a {@code '} is put before each {@code = + - @},
 * tab or CR that starts the field <em>or follows a separator</em> ({@code , ;} tab, CR, LF; quotes
 * and spaces between are looked through): a spreadsheet whose locale splits on {@code ;} or tab
 * ignores the quotes, so {@code erin;=1+41} would otherwise become a formula cell. Stateless.
 */
final class SpendCsv {
  static final String HEADER =
      "\"ended_at\",\"request_id\",\"key_id\",\"user_id\",\"team_id\",\"model\","
          + "\"deployment_id\",\"status\",\"input_tokens\",\"output_tokens\",\"cost_usd\","
          + "\"latency_ms\",\"error_code\"\r\n";

  private static final String FORMULA_STARTS = "=+-@\t\r";
  private static final String SEPARATORS = ",;\t\r\n";

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
    number(out, r.usage().map(u -> u.promptTokens()).orElse(0L).toString()).append(',');
    number(out, r.usage().map(u -> u.outputTokens()).orElse(0L).toString()).append(',');
    number(out, r.cost().toUsdString()).append(',');
    number(out, Long.toString(r.latencyMillis())).append(',');
    field(out, r.errorCode().orElse("")).append("\r\n");
  }

  /** A text field: quoted, with every formula start defused. */
  static StringBuilder field(StringBuilder out, String value) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (FORMULA_STARTS.indexOf(c) >= 0 && startsCell(value, i)) {
        out.append('\'');
      }
      out.append(c == '"' ? "\"\"" : String.valueOf(c));
    }
    return out.append('"');
  }

  /** True if a parser splitting on any separator would start a cell at {@code i}. */
  private static boolean startsCell(String value, int i) {
    int j = i - 1;
    // Quotes and spaces before a formula are dropped or trimmed by some spreadsheets.
    while (j >= 0 && (value.charAt(j) == '"' || value.charAt(j) == ' ')) {
      j--;
    }
    return j < 0 || SEPARATORS.indexOf(value.charAt(j)) >= 0;
  }

  /** A number this class formatted itself (digits, '.', never a formula): quoted only. */
  private static StringBuilder number(StringBuilder out, String digits) {
    return out.append('"').append(digits).append('"');
  }
}

package io.llmgateway.core.spend;

/**
 * Text made safe for a spreadsheet cell (OWASP "CSV injection": model names and ids come from
 * admins and clients): a {@code '} goes before each {@code = + - @}, tab or CR that starts the text
 * <em>or follows a separator</em> ({@code , ;} tab, CR, LF; quotes and spaces between are looked
 * through), since a spreadsheet whose locale splits on {@code ;} or tab ignores CSV quoting, and
 * {@code erin;=1+41} would otherwise become a formula cell. Every CSV the gateway writes (the UI's
 * spend export, the admin CLI's {@code --output csv}) passes its text through here. Stateless.
 */
public final class SpreadsheetCells {
  private static final String FORMULA_STARTS = "=+-@\t\r";
  private static final String SEPARATORS = ",;\t\r\n";

  private SpreadsheetCells() {}

  /** {@code value} with every formula start defused. */
  public static String defuse(String value) {
    StringBuilder out = null;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (FORMULA_STARTS.indexOf(c) >= 0 && startsCell(value, i)) {
        if (out == null) {
          out = new StringBuilder(value.length() + 8).append(value, 0, i);
        }
        out.append('\'');
      }
      if (out != null) {
        out.append(c);
      }
    }
    return out == null ? value : out.toString();
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
}

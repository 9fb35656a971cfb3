package io.llmgateway.server.http;

/**
 * Makes request-supplied text safe to put in a log line: control characters (CR, LF, TAB, ESC ...,
 * and the Unicode line and paragraph separators) become {@code \\uXXXX} escapes, so a field cannot
 * start a forged line or colour a terminal, and the text is cut at {@value #MAX} characters.
 * Stateless.
 */
public final class LogSafe {
  static final int MAX = 200;

  private LogSafe() {}

  public static String text(String s) {
    if (s == null) {
      return "-";
    }
    int n = Math.min(s.length(), MAX);
    StringBuilder b = null;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      boolean unsafe =
          c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029' || c == '\\';
      if (unsafe && b == null) {
        b = new StringBuilder(n + 16).append(s, 0, i);
      }
      if (b != null) {
        if (c == '\\') {
          b.append("\\\\");
        } else if (unsafe) {
          b.append(String.format("\\u%04x", (int) c));
        } else {
          b.append(c);
        }
      }
    }
    String out = b == null ? s.substring(0, n) : b.toString();
    return s.length() > MAX ? out + "..." : out;
  }
}

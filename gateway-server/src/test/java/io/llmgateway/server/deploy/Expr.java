package io.llmgateway.server.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Small readers for HCL expression text kept by {@link Hcl}. Stateless. */
final class Expr {

  private static final Pattern QUOTED = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
  private static final Pattern UPPER_KEY =
      Pattern.compile("(?m)(?:^|[{,\\s])([A-Z][A-Z0-9_]*)\\s*=(?!=)");

  private Expr() {}

  /** The content of a plain quoted literal ({@code "x"}), or empty for anything else. */
  static Optional<String> string(String expr) {
    Matcher m = QUOTED.matcher(expr.strip());
    return m.matches() && !m.group(1).contains("${") ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The contents of a list of quoted literals ({@code ["a", "b"]}), or empty for anything else. */
  static Optional<List<String>> stringList(String expr) {
    String e = expr.strip();
    if (!e.startsWith("[") || !e.endsWith("]")) {
      return Optional.empty();
    }
    String inner = e.substring(1, e.length() - 1);
    List<String> values = new ArrayList<>();
    Matcher m = QUOTED.matcher(inner);
    int end = 0;
    while (m.find()) {
      if (!inner.substring(end, m.start()).replace(",", "").isBlank()) {
        return Optional.empty();
      }
      values.add(m.group(1));
      end = m.end();
    }
    return inner.substring(end).replace(",", "").isBlank()
        ? Optional.of(List.copyOf(values))
        : Optional.empty();
  }

  /** Every quoted string in the expression, templates included, in order. */
  static List<String> quotedStrings(String expr) {
    List<String> values = new ArrayList<>();
    Matcher m = QUOTED.matcher(expr);
    while (m.find()) {
      values.add(m.group(1));
    }
    return values;
  }

  /** Upper-case object keys ({@code GATEWAY_MODE = ...}): environment variable names. */
  static List<String> upperCaseKeys(String expr) {
    List<String> keys = new ArrayList<>();
    Matcher m = UPPER_KEY.matcher(expr);
    while (m.find()) {
      keys.add(m.group(1));
    }
    return keys;
  }

  /** The text between {@code open} at {@code start} and its matching closer (exclusive). */
  static String balanced(String expr, int start) {
    char open = expr.charAt(start);
    char close =
        switch (open) {
          case '[' -> ']';
          case '{' -> '}';
          case '(' -> ')';
          default -> throw new IllegalArgumentException("not an opening bracket: " + open);
        };
    int depth = 0;
    boolean inString = false;
    for (int i = start; i < expr.length(); i++) {
      char c = expr.charAt(i);
      if (inString) {
        if (c == '\\') {
          i++;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (c == '"') {
        inString = true;
      } else if (c == open) {
        depth++;
      } else if (c == close && --depth == 0) {
        return expr.substring(start + 1, i);
      }
    }
    throw new IllegalArgumentException("unbalanced " + open + " in " + expr);
  }

  /**
   * The bracketed value of {@code key = [...]} or {@code key = {...}} inside an object expression.
   */
  static Optional<String> member(String expr, String key) {
    Matcher m =
        Pattern.compile("(?:^|[{,\\s])" + Pattern.quote(key) + "\\s*=\\s*([\\[{])").matcher(expr);
    if (!m.find()) {
      return Optional.empty();
    }
    return Optional.of(balanced(expr, m.start(1)));
  }

  /** The scalar value of {@code key = value} inside an object expression (to the end of line). */
  static Optional<String> scalarMember(String expr, String key) {
    Matcher m =
        Pattern.compile("(?m)(?:^|[{,\\s])" + Pattern.quote(key) + "\\s*=\\s*([^\\n,}]+)")
            .matcher(expr);
    return m.find() ? Optional.of(m.group(1).strip()) : Optional.empty();
  }
}

package io.llmgateway.core.admin;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What ids, aliases, free text and dates may look like, in one place for the admin commands (API,
 * CLI, UI all build them) and for the server's query parameters. Ids end up in URL paths, CSV cells
 * and log lines, and look-alike or invisible characters let one name pass for another (issue 15,
 * findings 11 and 13: {@code alice} vs {@code al\u200bice} vs Cyrillic {@code аlice}, and a user
 * named {@code ../keys/<key_id>/unblock?}). Stored records are not re-checked when read back, so an
 * old row that predates a rule still loads. Stateless and thread-safe.
 */
public final class InputGrammar {
  /** ASCII letters and digits, then also {@code . _ @ + -}; no {@code ..} (checked apart). */
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}");

  /** The earliest and latest day any date parameter may name; PostgreSQL and Java agree on them. */
  public static final LocalDate FIRST_DAY = LocalDate.of(1, 1, 1);

  public static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

  private static final Instant FIRST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LAST = Instant.parse("9999-12-31T23:59:59.999999Z");

  /** The rule a refused date breaks, for messages. */
  public static final String DATE_RULE = "between 0001-01-01 and 9999-12-31";

  private InputGrammar() {}

  /** An id we accept for a new user, team or key owner (and generate from an alias). */
  public static boolean isId(String v) {
    return v != null && ID.matcher(v).matches() && !v.contains("..");
  }

  /** Why {@code v} is not an id, or empty when it is one. */
  public static Optional<String> idProblem(String v) {
    return isId(v)
        ? Optional.empty()
        : Optional.of(
            "may use only ASCII letters, digits and . _ @ + - (starting with a letter or digit,"
                + " at most 128 characters, no '..')");
  }

  /**
   * Why {@code v} is not a display alias (key, user or team alias), or empty: printable ASCII (so
   * spaces and punctuation are fine, look-alike letters are not) without outer spaces.
   */
  public static Optional<String> aliasProblem(String v) {
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < 0x20 || c > 0x7e) {
        return Optional.of("may use only printable ASCII characters");
      }
    }
    if (!v.equals(v.strip())) {
      return Optional.of("must not start or end with a space");
    }
    return Optional.empty();
  }

  /**
   * Why free text (emails, tiers, model names) is refused, or empty: control characters and the
   * invisible ones (format characters such as zero-width spaces and bidirectional overrides, line
   * and paragraph separators, private-use, unassigned and lone surrogate code points).
   */
  public static Optional<String> textProblem(String v) {
    for (int i = 0; i < v.length(); ) {
      int cp = v.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isISOControl(cp)) {
        return Optional.of("contains a control character");
      }
      switch (Character.getType(cp)) {
        case Character.FORMAT,
            Character.LINE_SEPARATOR,
            Character.PARAGRAPH_SEPARATOR,
            Character.PRIVATE_USE,
            Character.SURROGATE,
            Character.UNASSIGNED -> {
          return Optional.of("contains an invisible or unassigned character");
        }
        default -> {}
      }
    }
    return Optional.empty();
  }

  public static boolean isInRange(LocalDate d) {
    return !d.isBefore(FIRST_DAY) && !d.isAfter(LAST_DAY);
  }

  public static boolean isInRange(Instant t) {
    return !t.isBefore(FIRST) && !t.isAfter(LAST);
  }
}

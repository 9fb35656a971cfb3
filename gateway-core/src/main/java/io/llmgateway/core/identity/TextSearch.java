package io.llmgateway.core.identity;

import io.llmgateway.core.error.InvalidRequestException;
import java.util.Locale;
import java.util.Optional;

/**
 * The text a list is searched for: matched case-insensitively as a plain substring (no wildcards:
 * {@code %} and {@code _} are characters like any other), trimmed, blank meaning no search. Stores
 * compare {@link #folded} with their fields folded the same way. Stateless.
 */
public final class TextSearch {
  /** Longer text cannot match any searched field (ids, emails and aliases are at most 256). */
  public static final int MAX_LENGTH = 256;

  private TextSearch() {}

  /** The search text, trimmed; empty when blank; refused when longer than any searched field. */
  public static Optional<String> of(Optional<String> text) {
    Optional<String> t = text.map(String::strip).filter(s -> !s.isEmpty());
    if (t.isPresent() && t.get().length() > MAX_LENGTH) {
      throw new InvalidRequestException(
          "search must be at most " + MAX_LENGTH + " characters", "search");
    }
    return t;
  }

  /** The case-folded form both the text and the searched fields are compared in. */
  public static String folded(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** True if {@code field} is present and contains {@code text}, case-insensitively. */
  public static boolean matches(Optional<String> field, String text) {
    return field.isPresent() && folded(field.get()).contains(folded(text));
  }
}

package io.llmgateway.core.identity;

/** Validation shared by identity records: ids and display text are bounded and printable. */
final class Ids {
  static final int MAX_ID = 128;
  static final int MAX_TEXT = 256;

  private Ids() {}

  static void require(String field, String value) {
    requireText(field, value);
    if (value.length() > MAX_ID) {
      throw new IllegalArgumentException(field + " is longer than " + MAX_ID + " characters");
    }
  }

  static void requireText(String field, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(field + " must not be blank");
    }
    if (value.length() > MAX_TEXT) {
      throw new IllegalArgumentException(field + " is longer than " + MAX_TEXT + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalArgumentException(field + " contains a control character");
      }
    }
  }
}

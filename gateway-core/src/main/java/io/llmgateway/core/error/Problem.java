package io.llmgateway.core.error;

import java.util.Objects;
import java.util.Optional;

/**
 * One thing wrong with a request: the field it is about (OpenAI's {@code param}; empty when it is
 * not one field) and a message safe to show the caller. Immutable and thread-safe.
 */
public record Problem(Optional<String> param, String message) {
  public Problem {
    Objects.requireNonNull(param, "param");
    Objects.requireNonNull(message, "message");
  }

  public static Problem of(String param, String message) {
    return new Problem(Optional.ofNullable(param), message);
  }
}

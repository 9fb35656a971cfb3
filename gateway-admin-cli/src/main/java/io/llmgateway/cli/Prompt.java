package io.llmgateway.cli;

import java.util.Optional;

/**
 * Asks the person at the terminal a question. {@link #NONE} when nobody can answer (stdin or stdout
 * redirected, a script, a test): commands that need a confirmation then refuse unless {@code
 * --yes}. Implementations are used from one thread.
 */
@FunctionalInterface
public interface Prompt {
  /** Nobody to ask. */
  Prompt NONE = question -> Optional.empty();

  /** The answer typed after {@code question}, or empty if there is no terminal (or at EOF). */
  Optional<String> ask(String question);

  /** Whether a person can answer at all. */
  default boolean interactive() {
    return this != NONE;
  }
}

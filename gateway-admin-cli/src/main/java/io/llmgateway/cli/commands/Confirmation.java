package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.Prompt;
import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * The {@code --yes} of destructive commands (delete, revoke, block, rotate), as a picocli mixin: on
 * a terminal the command asks first; without one it refuses (exit 2) unless {@code --yes}, so a
 * script says what it means. Not thread-safe: one instance per invocation.
 */
final class Confirmation {
  @Option(
      names = {"-y", "--yes"},
      description = "Do it without asking (required when not on a terminal, e.g. in scripts).")
  boolean yes;

  /**
   * Returns if the person (or {@code --yes}) agreed to {@code action}, e.g. "revoke key key_1
   * (ann@example.com)"; otherwise throws, and nothing has changed.
   */
  void confirm(Prompt prompt, String command, String action) {
    if (yes) {
      return;
    }
    if (!prompt.interactive()) {
      throw CliException.usage(
          command
              + " would "
              + action
              + ", and there is no terminal to confirm on: add --yes to do it");
    }
    String answer = prompt.ask(capitalized(action) + "? [y/N] ").orElse("");
    String a = answer.trim().toLowerCase(Locale.ROOT);
    if (!a.equals("y") && !a.equals("yes")) {
      throw new CliException(
          io.llmgateway.cli.ExitCode.VALIDATION, "not confirmed; nothing changed");
    }
  }

  private static String capitalized(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}

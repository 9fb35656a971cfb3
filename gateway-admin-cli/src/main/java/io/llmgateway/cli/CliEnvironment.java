package io.llmgateway.cli;

import io.llmgateway.cli.db.DatabaseConnector;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the CLI gets from the outside world, as plain values: the environment variables (read only
 * by {@link Main}; tests pass their own map), the clock, whether stderr is a terminal, the working
 * directory, how databases are opened and whom to ask for a confirmation. Immutable and
 * thread-safe.
 */
public record CliEnvironment(
    Map<String, String> env,
    Clock clock,
    boolean stderrIsTerminal,
    Path workingDirectory,
    DatabaseConnector databases,
    Prompt prompt) {

  public CliEnvironment {
    env = Map.copyOf(env);
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(workingDirectory, "workingDirectory");
    Objects.requireNonNull(databases, "databases");
  }

  /** Without a terminal to ask on ({@link Prompt#NONE}): scripts and most tests. */
  public CliEnvironment(
      Map<String, String> env,
      Clock clock,
      boolean stderrIsTerminal,
      Path workingDirectory,
      DatabaseConnector databases) {
    this(env, clock, stderrIsTerminal, workingDirectory, databases, Prompt.NONE);
  }

  public Optional<String> get(String name) {
    String v = env.get(name);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
  }

  /** A path relative to the working directory (as a shell user means it). */
  public Path resolve(Path path) {
    return workingDirectory.resolve(path);
  }
}

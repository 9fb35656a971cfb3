package io.llmgateway.cli;

/**
 * A failure the CLI reports as one line on stderr with a given exit code; the message says what to
 * fix and never contains a secret. Immutable and thread-safe.
 */
public final class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  public CliException(int exitCode, String message, Throwable cause) {
    super(message, cause, false, false);
    this.exitCode = exitCode;
  }

  public static CliException validation(String message) {
    return new CliException(ExitCode.VALIDATION, message);
  }

  public static CliException usage(String message) {
    return new CliException(ExitCode.USAGE, message);
  }

  public static CliException infrastructure(String message, Throwable cause) {
    return new CliException(ExitCode.INFRASTRUCTURE, message, cause);
  }

  public int exitCode() {
    return exitCode;
  }
}

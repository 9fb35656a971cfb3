package io.llmgateway.cli;

/**
 * The process exit codes of {@code gateway-admin}, stable for scripts: 0 success, 1 the input or
 * the data named is wrong (fix the file or the argument), 2 the command line is wrong (see {@code
 * --help}), 3 the infrastructure failed (database unreachable, file not writable).
 */
public final class ExitCode {
  public static final int OK = 0;
  public static final int VALIDATION = 1;
  public static final int USAGE = 2;
  public static final int INFRASTRUCTURE = 3;

  private ExitCode() {}
}

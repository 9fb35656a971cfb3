package io.llmgateway.cli;

import io.llmgateway.config.ConfigException;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.StorageUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Runs one {@code gateway-admin} invocation in-process: parses, executes, maps every failure to a
 * one-line message on stderr and an {@link ExitCode}, and closes the database. {@link Main} and the
 * tests both come through here. Not thread-safe: one invocation per instance of the command tree.
 */
public final class GatewayAdmin {
  private GatewayAdmin() {}

  /** Runs {@code args} and returns the exit code. Nothing here calls {@code System.exit}. */
  public static int run(
      CliEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
    RootCommand root = new RootCommand(environment);
    CommandLine cli = commandLine(root, out, err);
    try {
      return cli.execute(args);
    } finally {
      try {
        root.close();
      } catch (RuntimeException e) {
        err.println("warning: closing the database failed: " + e.getMessage());
      }
      out.flush();
      err.flush();
    }
  }

  /** The command tree, with output streams and exit-code mapping wired in. */
  public static CommandLine commandLine(RootCommand root, PrintWriter out, PrintWriter err) {
    CommandLine cli = new CommandLine(root);
    cli.setOut(out);
    cli.setErr(err);
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    cli.setExitCodeExceptionMapper(GatewayAdmin::exitCodeOf);
    cli.setParameterExceptionHandler(GatewayAdmin::onUsageError);
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> onFailure(e, commandLine, root.environment()));
    return cli;
  }

  private static int onUsageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("error: " + e.getMessage());
    if (!CommandLine.UnmatchedArgumentException.printSuggestions(e, err)) {
      err.println("see '" + cmd.getCommandSpec().qualifiedName() + " --help'");
    }
    return ExitCode.USAGE;
  }

  private static int onFailure(Exception e, CommandLine cmd, CliEnvironment environment) {
    PrintWriter err = cmd.getErr();
    err.println("error: " + messageOf(e));
    if (environment.get("GATEWAY_ADMIN_DEBUG").isPresent()) {
      // Stack traces only on request: messages are secret-free, causes from drivers may not be.
      e.printStackTrace(err);
    }
    err.flush();
    return exitCodeOf(e);
  }

  static int exitCodeOf(Throwable e) {
    return switch (e) {
      case CliException c -> c.exitCode();
      case ParameterException p -> ExitCode.USAGE;
      case StorageUnavailableException s -> ExitCode.INFRASTRUCTURE;
      case GatewayException g -> ExitCode.VALIDATION;
      case ConfigException c -> ExitCode.VALIDATION;
      case IllegalArgumentException i -> ExitCode.VALIDATION;
      case UncheckedIOException u -> ExitCode.INFRASTRUCTURE;
      case IOException i -> ExitCode.INFRASTRUCTURE;
      default -> ExitCode.INFRASTRUCTURE;
    };
  }

  private static String messageOf(Exception e) {
    if (e instanceof CliException
        || e instanceof GatewayException
        || e instanceof ConfigException
        || e instanceof IllegalArgumentException) {
      return e.getMessage();
    }
    if (e instanceof UncheckedIOException u) {
      return "I/O failed: " + u.getCause().getMessage();
    }
    // Unknown failures: name the type only; driver messages can quote connection strings.
    return "unexpected "
        + e.getClass().getSimpleName()
        + " (set GATEWAY_ADMIN_DEBUG=1 for details)";
  }
}

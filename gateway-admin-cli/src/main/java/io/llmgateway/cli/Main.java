package io.llmgateway.cli;

import io.llmgateway.cli.db.PostgresConnector;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code gateway-admin} process: the only place that reads environment variables and the
 * terminal, then hands plain values to {@link GatewayAdmin}.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    Map<String, String> env = new HashMap<>(System.getenv());
    env.putIfAbsent("HOME", System.getProperty("user.home"));
    PrintWriter out =
        new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
    PrintWriter err =
        new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
    CliEnvironment environment =
        new CliEnvironment(
            env,
            Clock.systemUTC(),
            stderrIsTerminal(),
            Path.of("").toAbsolutePath(),
            new PostgresConnector(),
            prompt());
    System.exit(GatewayAdmin.run(environment, out, err, args));
  }

  /**
   * The console when stdin and stdout are a terminal (a person can answer), else {@link
   * Prompt#NONE}: piped input is never taken as a confirmation.
   */
  private static Prompt prompt() {
    java.io.Console console = System.console();
    if (console == null || !isTerminal(console)) {
      return Prompt.NONE;
    }
    return question -> java.util.Optional.ofNullable(console.readLine("%s", question));
  }

  private static boolean isTerminal(java.io.Console console) {
    try {
      return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only when stdin and stdout are terminals
    }
  }

  /**
   * True when a person is watching: a console exists and, on JDK 22+, it is a real terminal ({@code
   * System.console()} is non-null for redirected streams there, {@code isTerminal} tells).
   */
  private static boolean stderrIsTerminal() {
    java.io.Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true; // JDK 21: a console exists only when stdin and stdout are terminals
    }
  }
}

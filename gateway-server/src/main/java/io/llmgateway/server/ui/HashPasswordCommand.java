package io.llmgateway.server.ui;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code hash-password}: prints the bcrypt hash of a password for {@code
 * GATEWAY_UI_ADMIN_PASSWORD_HASH}. Reads the password from the terminal without echo (asked twice),
 * or as the first line of standard input when piped, never from the command line (it would land in
 * shell history and {@code ps}):
 *
 * <pre>
 * bin/gateway hash-password
 * printf '%s\n' "$PW" | java -jar gateway-server-all.jar hash-password --cost 12
 * </pre>
 *
 * Takes its streams as arguments ({@code Main} passes the process's own), so it neither prints to
 * nor exits the JVM itself. Stateless.
 */
public final class HashPasswordCommand {
  private HashPasswordCommand() {}

  /** Runs the command; returns the process exit status (0 ok, 1 refused, 2 usage). */
  public static int run(
      String[] args, Console console, BufferedReader stdin, PrintStream out, PrintStream err)
      throws IOException {
    int cost = Passwords.DEFAULT_COST;
    if (args.length == 2 && args[0].equals("--cost")) {
      try {
        cost = Integer.parseInt(args[1]);
      } catch (NumberFormatException e) {
        cost = -1;
      }
    } else if (args.length > 0) {
      err.println("usage: hash-password [--cost 10..16]  (password on the terminal or stdin)");
      return 2;
    }
    if (cost < 10 || cost > 16) {
      err.println("cost must be between 10 and 16");
      return 2;
    }
    char[] password = read(console, stdin, err);
    if (password == null || password.length < 12) {
      err.println("refused: use a password of at least 12 characters");
      return 1;
    }
    try {
      out.println(Passwords.hash(password, cost));
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("refused: " + e.getMessage());
      return 1;
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static char[] read(Console console, BufferedReader stdin, PrintStream err)
      throws IOException {
    if (console != null) {
      char[] first = console.readPassword("UI admin password: ");
      char[] second = console.readPassword("again: ");
      if (first == null || !Arrays.equals(first, second)) {
        err.println("the two passwords differ");
        return null;
      }
      return first;
    }
    String line = stdin.readLine();
    return line == null ? null : line.toCharArray();
  }
}

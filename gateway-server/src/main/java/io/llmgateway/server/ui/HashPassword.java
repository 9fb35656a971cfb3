package io.llmgateway.server.ui;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Prints the bcrypt hash of a password for {@code GATEWAY_UI_ADMIN_PASSWORD_HASH}. Reads the
 * password from the terminal without echo (asked twice), or as the first line of standard input
 * when piped, never from the command line (it would land in shell history and {@code ps}):
 *
 * <pre>
 * java -cp gateway-server-all.jar io.llmgateway.server.ui.HashPassword
 * printf '%s\n' "$PW" | java -cp gateway-server-all.jar io.llmgateway.server.ui.HashPassword
 * </pre>
 */
public final class HashPassword {
  private HashPassword() {}

  public static void main(String[] args) throws IOException {
    int cost = Passwords.DEFAULT_COST;
    if (args.length == 2 && args[0].equals("--cost")) {
      cost = Integer.parseInt(args[1]);
    } else if (args.length > 0) {
      System.err.println(
          "usage: HashPassword [--cost 10..16]  (password on the terminal or stdin)");
      System.exit(2);
    }
    if (cost < 10 || cost > 16) {
      System.err.println("cost must be between 10 and 16");
      System.exit(2);
    }
    char[] password = read();
    if (password == null || password.length < 12) {
      System.err.println("refused: use a password of at least 12 characters");
      System.exit(1);
    }
    try {
      System.out.println(Passwords.hash(password, cost));
    } catch (IllegalArgumentException e) {
      System.err.println("refused: " + e.getMessage());
      System.exit(1);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private static char[] read() throws IOException {
    Console console = System.console();
    if (console != null) {
      char[] first = console.readPassword("UI admin password: ");
      char[] second = console.readPassword("again: ");
      if (first == null || !Arrays.equals(first, second)) {
        System.err.println("the two passwords differ");
        System.exit(1);
      }
      return first;
    }
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line = in.readLine();
    return line == null ? null : line.toCharArray();
  }
}

package io.llmgateway.server.boot;

import io.llmgateway.server.ui.Passwords;
import io.llmgateway.server.ui.UiSettings;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Properties;

/**
 * Demo mode's UI account when none is configured: user {@code admin} with a random password kept in
 * {@code demo-keys.properties} (owner-readable, like the demo master key) so it is the same at
 * every restart and printed in the banner. Never used in production mode. Stateless.
 */
final class DemoUi {
  static final String USER = "admin";
  static final String PASSWORD = "ui_password";
  private static final String ALPHABET =
      "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private DemoUi() {}

  /** The demo password (created and stored on first use). */
  static String password(Path dataDir) {
    Path file = dataDir.resolve(DemoKeys.FILE);
    Properties p = SecretFiles.read(file);
    String pw = p.getProperty(PASSWORD);
    if (pw == null || pw.length() < 16) {
      SecureRandom r = new SecureRandom();
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < 20; i++) {
        b.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
      }
      pw = b.toString();
      p.setProperty(PASSWORD, pw);
      SecretFiles.write(file, p, "LLM gateway demo keys (demo mode only). Delete to re-issue.");
    }
    return pw;
  }

  /** Settings with the demo account (bcrypt cost 10: hashed at every start). */
  static UiSettings settings(UiSettings base, String password) {
    UiSettings.Admin admin = new UiSettings.Admin(USER, Passwords.hash(password.toCharArray(), 10));
    return base.toBuilder().admin(admin).build();
  }
}

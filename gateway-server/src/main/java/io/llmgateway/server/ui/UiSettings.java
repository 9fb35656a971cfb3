package io.llmgateway.server.ui;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the admin UI at {@code /ui} behaves: who may sign in (one operator account, its password as a
 * bcrypt hash; empty: the UI is off and says how to turn it on), when cookies are {@code Secure},
 * how long sessions live and how sign-in failures are throttled. Immutable and thread-safe; {@link
 * #toString()} never shows the hash.
 *
 * @param admin the operator account, or empty when the UI is disabled
 * @param cookies when the session cookie carries {@code Secure} (and the {@code __Host-} prefix)
 * @param idleTimeout a session unused this long ends
 * @param maxAge a session ends this long after sign-in, however active
 * @param maxFailures failed sign-ins allowed per user name and client address in {@code window}
 * @param maxFailuresPerUser failed sign-ins allowed per user name from any address in {@code
 *     window} (bounds guessing from many addresses)
 * @param window the throttling window
 */
public record UiSettings(
    Optional<Admin> admin,
    CookieSecurity cookies,
    Duration idleTimeout,
    Duration maxAge,
    int maxFailures,
    int maxFailuresPerUser,
    Duration window) {

  /** When cookies are marked {@code Secure}. */
  public enum CookieSecurity {
    /** When the request came over TLS ({@code X-Forwarded-Proto: https} from the ALB, or https). */
    AUTO,
    ALWAYS,
    NEVER
  }

  /** The operator account: a user name and a bcrypt hash of the password. */
  public record Admin(String username, String passwordHash) {
    public Admin {
      if (username == null || username.isBlank() || username.length() > 256) {
        throw new IllegalArgumentException("UI user name must be 1 to 256 characters");
      }
      if (!Passwords.isBcrypt(passwordHash)) {
        throw new IllegalArgumentException("UI password hash must be a bcrypt hash");
      }
    }

    @Override
    public String toString() {
      return "Admin[" + username + ", hash redacted]";
    }
  }

  public UiSettings {
    Objects.requireNonNull(admin, "admin");
    Objects.requireNonNull(cookies, "cookies");
    positive("idleTimeout", idleTimeout);
    positive("maxAge", maxAge);
    positive("window", window);
    if (maxFailures < 1 || maxFailuresPerUser < maxFailures) {
      throw new IllegalArgumentException(
          "maxFailures must be positive and at most maxFailuresPerUser");
    }
  }

  /** 30 minutes idle, 8 hours at most, 5 failures per user and address (50 per user) in 15 min. */
  public static UiSettings of(Admin admin) {
    return new UiSettings(
        Optional.of(admin),
        CookieSecurity.AUTO,
        Duration.ofMinutes(30),
        Duration.ofHours(8),
        5,
        50,
        Duration.ofMinutes(15));
  }

  /** The UI answers only with a page saying how to configure it. */
  public static UiSettings disabled() {
    return new UiSettings(
        Optional.empty(),
        CookieSecurity.AUTO,
        Duration.ofMinutes(30),
        Duration.ofHours(8),
        5,
        50,
        Duration.ofMinutes(15));
  }

  public UiSettings withCookies(CookieSecurity value) {
    return new UiSettings(
        admin, value, idleTimeout, maxAge, maxFailures, maxFailuresPerUser, window);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
  }
}

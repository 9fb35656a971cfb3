package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.session.SessionStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/**
 * Throttles sign-in guessing in the shared store, so the limits hold across instances: at most
 * {@code maxFailures} failures per (user name, client address) and {@code maxFailuresPerUser} per
 * user name from any address within the window; while over a limit every attempt is refused before
 * the password is checked. Subjects are SHA-256 hashes, so what was typed is never stored.
 * Thread-safe.
 */
final class LoginThrottle {
  private final SessionStore store;
  private final UiSettings settings;
  private final Clock clock;

  LoginThrottle(SessionStore store, UiSettings settings, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.clock = clock;
  }

  boolean blocked(String username, String clientIp) {
    Instant since = clock.instant().minus(settings.window());
    return store.failuresSince(pair(username, clientIp), since) >= settings.maxFailures()
        || store.failuresSince(user(username), since) >= settings.maxFailuresPerUser();
  }

  void failed(String username, String clientIp) {
    Instant now = clock.instant();
    store.recordFailure(pair(username, clientIp), now);
    store.recordFailure(user(username), now);
  }

  void succeeded(String username, String clientIp) {
    store.clearFailures(pair(username, clientIp));
  }

  /**
   * The client's address: behind an ALB the last {@code X-Forwarded-For} entry (the one the ALB
   * appended; earlier entries are whatever the client sent), else the socket's peer.
   */
  static String clientIp(Context ctx) {
    String xff = ctx.header("X-Forwarded-For");
    if (xff != null && !xff.isBlank()) {
      String[] parts = xff.split(",");
      return parts[parts.length - 1].trim();
    }
    return ctx.ip();
  }

  private static String pair(String username, String ip) {
    return Secrets.sha256Hex("ui-login\n" + username.toLowerCase(Locale.ROOT) + "\n" + ip);
  }

  private static String user(String username) {
    return Secrets.sha256Hex("ui-login-user\n" + username.toLowerCase(Locale.ROOT));
  }
}

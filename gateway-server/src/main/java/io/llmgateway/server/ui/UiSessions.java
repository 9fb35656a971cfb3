package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.session.SessionStore;
import io.llmgateway.core.session.UiSession;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Server-side sessions over a {@link SessionStore}: the browser holds only a random 256-bit id in
 * an HttpOnly cookie; the store holds its SHA-256, the user and the CSRF token. A session ends
 * after {@code idleTimeout} without use or {@code maxAge} after sign-in; its expiry is pushed
 * forward only when half the idle time has passed, so reads do not write on every request. A
 * session is bound to the operator account and password hash it was made with ({@link
 * #credential}): one made under another configuration is refused, and an instance deletes such
 * sessions when it starts, so rotating the password or the account ends every older session.
 * Thread-safe.
 */
final class UiSessions {
  private final SessionStore store;
  private final UiSettings settings;
  private final Cookies cookies;
  private final Clock clock;
  private final UiSettings.Admin admin;
  private final String credential;

  UiSessions(SessionStore store, UiSettings settings, Cookies cookies, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.cookies = cookies;
    this.clock = clock;
    this.admin = settings.admin().orElseThrow();
    this.credential = credential(admin);
  }

  /** The credential version: changes when the account or its password hash does. */
  static String credential(UiSettings.Admin admin) {
    return Secrets.sha256Hex("ui-credential\n" + admin.username() + "\n" + admin.passwordHash());
  }

  /** Deletes sessions made under another account or password (run once at start). */
  int endStale() {
    return store.deleteAllExcept(admin.username(), credential);
  }

  /** The live session of this request, extended if due; empty if none or expired. */
  Optional<UiSession> current(Context ctx) {
    Optional<String> id = cookies.read(ctx, Cookies.SESSION);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<UiSession> found =
        store
            .find(Secrets.sha256Hex(id.get()), now)
            // operators: bound to the credential only (it hashes the break-glass account and its
            // password hash, so a rotation still ends every session); the user name is the
            // person's, who may be a named operator or a member rather than the break-glass one.
            .filter(s -> Secrets.equal(s.credential(), credential));
    found.ifPresent(s -> extendIfDue(s, now));
    return found;
  }

  /**
   * Starts a new session for the operator with a fresh id (any session this browser had is deleted
   * first: the id is never reused across sign-in, so a planted id is worthless).
   */
  UiSession start(Context ctx) {
    end(ctx);
    Instant now = clock.instant();
    store.sweep(now, now.minus(settings.throttle().window()));
    String id = Secrets.token();
    UiSession session =
        new UiSession(
            Secrets.sha256Hex(id),
            admin.username(),
            new Grant.ProxyAdmin(),
            credential,
            Secrets.token(),
            now,
            min(now.plus(settings.idleTimeout()), now.plus(settings.maxAge())));
    store.create(session);
    cookies.set(ctx, Cookies.SESSION, id, -1);
    return session;
  }

  /** Deletes this browser's session on the server (every instance) and clears the cookie. */
  void end(Context ctx) {
    cookies.read(ctx, Cookies.SESSION).ifPresent(id -> store.delete(Secrets.sha256Hex(id)));
    cookies.clear(ctx, Cookies.SESSION);
  }

  private void extendIfDue(UiSession s, Instant now) {
    Instant wanted = min(now.plus(settings.idleTimeout()), s.createdAt().plus(settings.maxAge()));
    long remaining = s.expiresAt().getEpochSecond() - now.getEpochSecond();
    if (wanted.isAfter(s.expiresAt()) && remaining < settings.idleTimeout().toSeconds() / 2) {
      store.extend(s.idHash(), wanted);
    }
  }

  private static Instant min(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }
}

package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.session.SessionStore;
import io.llmgateway.core.session.UiSession;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Server-side sessions over a {@link SessionStore}: the browser holds only a random 256-bit id in
 * an HttpOnly cookie; the store holds its SHA-256, the person, their grant and the CSRF token. A
 * session ends after {@code idleTimeout} without use or {@code maxAge} after sign-in; its expiry is
 * pushed forward only when half the idle time has passed, so reads do not write on every request.
 *
 * <p>A session is bound to the sign-in method it was made with ({@code credential}): the
 * break-glass account and its password hash ({@link #credential(UiSettings.Admin)}), or the single
 * sign-on provider and role mapping ({@link OidcSettings#credential()}). One made under a method
 * that is no longer configured so is refused, and an instance deletes such sessions when it starts:
 * rotating the break-glass password ends break-glass sessions only, changing the provider or the
 * role mapping ends SSO sessions only. Thread-safe.
 */
final class UiSessions {
  private final SessionStore store;
  private final UiSettings settings;
  private final Cookies cookies;
  private final Clock clock;
  private final Optional<UiSettings.Admin> admin;
  private final Optional<String> breakGlass;
  private final Optional<String> sso;

  UiSessions(SessionStore store, UiSettings settings, Cookies cookies, Clock clock) {
    this.store = store;
    this.settings = settings;
    this.cookies = cookies;
    this.clock = clock;
    this.admin = settings.admin();
    this.breakGlass = admin.map(UiSessions::credential);
    this.sso = settings.oidc().map(OidcSettings::credential);
  }

  /** The break-glass credential version: changes when the account or its password hash does. */
  static String credential(UiSettings.Admin admin) {
    return Secrets.sha256Hex("ui-credential\n" + admin.username() + "\n" + admin.passwordHash());
  }

  /** Deletes sessions made under a sign-in method not configured so now (run once at start). */
  int endStale() {
    Set<String> live = new HashSet<>();
    breakGlass.ifPresent(live::add);
    sso.ifPresent(live::add);
    return store.deleteAllExcept(live);
  }

  /** The live session of this request, extended if due; empty if none or expired. */
  Optional<UiSession> current(Context ctx) {
    Optional<String> id = cookies.read(ctx, Cookies.SESSION);
    if (id.isEmpty()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<UiSession> found = store.find(Secrets.sha256Hex(id.get()), now).filter(this::bound);
    found.ifPresent(s -> extendIfDue(s, now));
    return found;
  }

  /** Made under a sign-in method configured so now (a break-glass one: by that very account). */
  private boolean bound(UiSession s) {
    boolean byBreakGlass =
        breakGlass.isPresent()
            && Secrets.equal(s.credential(), breakGlass.get())
            && s.username().equals(admin.orElseThrow().username());
    return byBreakGlass || (sso.isPresent() && Secrets.equal(s.credential(), sso.get()));
  }

  /** Starts a session for the break-glass operator, a proxy admin. */
  UiSession startBreakGlass(Context ctx) {
    return start(ctx, admin.orElseThrow().username(), new Grant.ProxyAdmin(), breakGlass.get());
  }

  /** Starts a session for a person signed in with single sign-on. */
  UiSession startSso(Context ctx, String person, Grant grant) {
    return start(ctx, person, grant, sso.orElseThrow());
  }

  /**
   * Starts a new session with a fresh id (any session this browser had is deleted first: the id is
   * never reused across sign-in, so a planted id is worthless).
   */
  private UiSession start(Context ctx, String person, Grant grant, String credential) {
    end(ctx);
    Instant now = clock.instant();
    store.sweep(now, now.minus(settings.throttle().window()));
    String id = Secrets.token();
    UiSession session =
        new UiSession(
            Secrets.sha256Hex(id),
            person,
            grant,
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

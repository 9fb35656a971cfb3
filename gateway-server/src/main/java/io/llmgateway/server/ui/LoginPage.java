package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.http.ClientAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sign-in and sign-out. Sign-in checks, in order: same origin and the form's double-submit nonce
 * (login CSRF), the client address's throttle (before any password work; the address trusts {@code
 * X-Forwarded-For} only from configured proxies), the user name's slow-down (a wait, never a lock),
 * that the password is not the master key (refused explicitly: the master key is an API credential,
 * never a UI password), then user name and bcrypt hash; an unknown user name costs the same bcrypt
 * time as a wrong password (a dummy hash of the same cost) and gets the same message. Success
 * starts a fresh session (new id) and clears the address's throttle. Thread-safe.
 */
final class LoginPage {
  private static final Logger log = LoggerFactory.getLogger(LoginPage.class);
  static final String NONCE_FIELD = "_login";

  /**
   * What the sign-in template shows: the password form when a break-glass account is configured,
   * the single sign-on button ({@code ssoName}, else null) when a provider is.
   */
  record View(
      String nonce,
      String username,
      String error,
      String notice,
      boolean disabled,
      boolean passwordForm,
      String ssoName) {}

  private final Ui ui;
  private final UiSettings settings;
  private final UiSessions sessions;
  private final LoginThrottle throttle;
  private final Cookies cookies;
  private final Optional<ServerConfig.Secret> masterKey;
  private final ClientAddress clients;

  LoginPage(
      Ui ui,
      UiSettings settings,
      UiSessions sessions,
      LoginThrottle throttle,
      Cookies cookies,
      Optional<ServerConfig.Secret> masterKey,
      ClientAddress clients) {
    this.ui = ui;
    this.settings = settings;
    this.sessions = sessions;
    this.throttle = throttle;
    this.cookies = cookies;
    this.masterKey = masterKey;
    this.clients = clients;
    // Made now, so the first unknown user name does not pay for hashing the dummy.
    settings.admin().ifPresent(a -> Passwords.dummyLike(a.passwordHash()));
  }

  void get(Context ctx) {
    if (sessions.current(ctx).isPresent()) {
      ctx.redirect("/ui/overview", HttpStatus.SEE_OTHER);
      return;
    }
    String notice = "signed-out".equals(ctx.queryParam("notice")) ? "You are signed out." : null;
    form(ctx, 200, "", null, notice);
  }

  void post(Context ctx) throws InterruptedException {
    String username = Optional.ofNullable(ctx.formParam("username")).orElse("").trim();
    if (settings.admin().isEmpty()) {
      // Single sign-on only: there is no password to check, and no throttle to spend.
      form(ctx, 403, "", "Password sign-in is off here: use single sign-on.", null);
      return;
    }
    String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
    Optional<String> nonce = cookies.read(ctx, Cookies.LOGIN);
    if (!Csrf.sameOrigin(ctx)
        || nonce.isEmpty()
        || !Secrets.equal(nonce.get(), ctx.formParam(NONCE_FIELD))) {
      form(
          ctx,
          403,
          username,
          "The sign-in form expired or came from another site: try again.",
          null);
      return;
    }
    if (username.isEmpty()
        || password.isEmpty()
        || username.length() > 256
        || password.length() > 1024) {
      form(ctx, 400, username, "Enter a user name and a password.", null);
      return;
    }
    String ip = clients.of(ctx);
    LoginThrottle.Verdict verdict = throttle.check(username, ip);
    if (verdict instanceof LoginThrottle.Verdict.Refused) {
      log.warn("UI sign-in refused: too many failures from {}", ip);
      form(
          ctx,
          429,
          username,
          "Too many failed sign-ins from your address: try again in "
              + throttle.window().toMinutes()
              + " minutes.",
          null);
      return;
    }
    if (verdict instanceof LoginThrottle.Verdict.Proceed p && p.delay().isPositive()) {
      // A wait, not a lock: the operator still gets in; guessing from many addresses slows down.
      // Requests run on virtual threads, so a sleeping attempt holds no platform thread.
      log.info(
          "UI sign-in slowed by {} ms: many recent failures for this user name",
          p.delay().toMillis());
      Thread.sleep(p.delay());
    }
    if (masterKey.isPresent() && Secrets.equal(password, masterKey.get().value())) {
      throttle.failed(username, ip);
      form(
          ctx,
          401,
          username,
          "The master key is not a UI password. Sign in with the UI admin account"
              + " (GATEWAY_UI_ADMIN_USER and its password).",
          null);
      return;
    }
    UiSettings.Admin admin = settings.admin().orElseThrow();
    boolean ok =
        Secrets.equal(username, admin.username())
            ? Passwords.matches(password.toCharArray(), admin.passwordHash())
            : Passwords.burn(password.toCharArray(), admin.passwordHash());
    if (!ok) {
      throttle.failed(username, ip);
      log.info("UI sign-in failed from {}", ip);
      form(ctx, 401, username, "Wrong user name or password.", null);
      return;
    }
    throttle.succeeded(username, ip);
    sessions.startBreakGlass(ctx);
    cookies.clear(ctx, Cookies.LOGIN);
    log.info("UI sign-in by '{}' from {}", admin.username(), ip);
    ctx.redirect("/ui/overview", HttpStatus.SEE_OTHER);
  }

  /** Ends the session everywhere (it is deleted from the shared store). */
  void logout(Context ctx) {
    sessions.end(ctx);
    ctx.redirect("/ui/login?notice=signed-out", HttpStatus.SEE_OTHER);
  }

  private void form(Context ctx, int status, String username, String error, String notice) {
    String nonce = Secrets.token();
    cookies.set(ctx, Cookies.LOGIN, nonce, 1800);
    ui.templates.html(
        ctx,
        status,
        "login",
        new View(
            nonce,
            username,
            error,
            notice,
            false,
            settings.admin().isPresent(),
            settings.oidc().map(OidcSettings::displayName).orElse(null)));
  }
}

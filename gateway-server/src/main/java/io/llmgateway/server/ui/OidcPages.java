package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.server.http.ClientAddress;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Single sign-on: {@code GET /ui/oidc/login} starts a flow ({@link OidcFlow} in a 10-minute
 * HttpOnly {@code SameSite=Lax} cookie) and sends the browser to the provider; {@code GET
 * /ui/oidc/callback} takes it back: the cookie is cleared whatever happens (one flow, one
 * callback), the {@code state} must match the cookie's, the code is exchanged and the ID token
 * validated ({@link OidcClient}), the person's grant decided ({@link GrantResolver}), and a new
 * session started. Every refusal is an HTML page saying what to do; the log names the person and
 * role, never a token or code. Thread-safe.
 */
final class OidcPages {
  private static final Logger log = LoggerFactory.getLogger(OidcPages.class);
  private static final long FLOW_SECONDS = 600;

  /** The refusal page's text. */
  record Refused(String title, String reason, String advice) {}

  /** The page after sign-in, which moves on to the landing page (see {@link #callback}). */
  record SignedIn(String person, String role, String next) {}

  private final Ui ui;
  private final OidcClient client;
  private final GrantResolver resolver;
  private final UiSessions sessions;
  private final Cookies cookies;
  private final ClientAddress clients;

  OidcPages(
      Ui ui,
      OidcClient client,
      GrantResolver resolver,
      UiSessions sessions,
      Cookies cookies,
      ClientAddress clients) {
    this.ui = ui;
    this.client = client;
    this.resolver = resolver;
    this.sessions = sessions;
    this.cookies = cookies;
    this.clients = clients;
  }

  /** Where a person lands after sign-in: self-service for employees, the overview for operators. */
  static String landing(Grant grant) {
    return grant instanceof Grant.Member ? "/ui/me" : "/ui/overview";
  }

  void login(Context ctx) {
    Optional<UiSession> current = sessions.current(ctx);
    if (current.isPresent()) {
      ctx.redirect(landing(current.get().grant()), HttpStatus.SEE_OTHER);
      return;
    }
    OidcFlow flow = OidcFlow.start();
    try {
      String url = client.authorizationUrl(flow).toString();
      cookies.setLax(ctx, Cookies.OIDC, flow.secret(), FLOW_SECONDS);
      ctx.redirect(url, HttpStatus.SEE_OTHER);
    } catch (OidcClient.SignInFailed e) {
      refuse(ctx, 502, "Sign-in unavailable", e.getMessage(), "Try again in a minute.");
    }
  }

  void callback(Context ctx) {
    Optional<String> secret = cookies.read(ctx, Cookies.OIDC);
    cookies.clear(ctx, Cookies.OIDC);
    String ip = clients.of(ctx);
    String error = ctx.queryParam("error");
    if (error != null) {
      log.info("UI single sign-on: the provider answered {} (from {})", OidcClient.safe(error), ip);
      refuse(
          ctx,
          401,
          "Sign-in cancelled",
          "The sign-in provider did not sign you in (" + OidcClient.safe(error) + ").",
          "Sign in again.");
      return;
    }
    Optional<OidcFlow> flow = secret.filter(s -> s.matches("[A-Za-z0-9_-]{43}")).map(OidcFlow::new);
    String state = ctx.queryParam("state");
    if (flow.isEmpty() || !Secrets.equal(state, flow.get().state().getValue())) {
      // No flow cookie (expired, another browser, a replayed link) or another flow's state: a
      // forged callback (login CSRF) looks exactly like this, so nothing is exchanged.
      log.warn("UI single sign-on refused: state does not match this browser's flow (from {})", ip);
      refuse(
          ctx,
          403,
          "Sign-in refused",
          "This sign-in did not start in this browser, or it expired.",
          "Sign in again from the sign-in page.");
      return;
    }
    String code = ctx.queryParam("code");
    if (code == null || code.isBlank() || code.length() > 4096) {
      refuse(ctx, 400, "Sign-in refused", "The provider sent no code.", "Sign in again.");
      return;
    }
    SsoPerson person;
    try {
      person = client.redeem(code, flow.get());
    } catch (OidcClient.SignInFailed e) {
      log.warn("UI single sign-on refused from {}: {}", ip, e.getMessage());
      refuse(ctx, 401, "Sign-in refused", "Sign-in failed: " + e.getMessage() + ".", "");
      return;
    }
    Optional<Grant> grant = resolver.resolve(person);
    if (grant.isEmpty()) {
      log.warn(
          "UI single sign-on: '{}' has no access (no mapped group among {}, no gateway user"
              + " with a verified e-mail) from {}",
          person.displayName(),
          person.groups().size(),
          ip);
      refuse(
          ctx,
          403,
          "No access",
          "Your account (" + person.displayName() + ") has no access to the gateway.",
          "Ask a gateway administrator to add you as a gateway user with this e-mail address,"
              + " or to add your account to a group that has a role in the gateway.");
      return;
    }
    sessions.startSso(ctx, person.displayName(), grant.get());
    Principal actor = Principal.person(person.displayName(), grant.get());
    ui.admin.recordSignIn((Principal.Person) actor, "oidc");
    log.info(
        "UI sign-in by '{}' as {} via single sign-on from {}",
        person.displayName(),
        grant.get().role(),
        ip);
    // A page rather than a redirect: the browser arrived here from the provider (cross-site), and
    // SameSite=Strict session cookies are not sent within such a redirect chain; the page's own
    // navigation starts here, same-site, so the landing page sees the new session.
    ui.templates.html(
        ctx,
        200,
        "sso-signed-in",
        new SignedIn(person.displayName(), grant.get().role(), landing(grant.get())));
  }

  private void refuse(Context ctx, int status, String title, String reason, String advice) {
    ui.templates.html(ctx, status, "sso-refused", new Refused(title, reason, advice));
  }
}

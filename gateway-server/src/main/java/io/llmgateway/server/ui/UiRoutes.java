package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.session.SessionStore;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.Routes;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The admin UI at {@code /ui}: server-rendered pages over the one {@code AdminService}. Every
 * response carries the security headers; every page needs a session (else a redirect to sign-in);
 * every {@code POST} needs a session, the same origin and the session's CSRF token (else 403). With
 * neither a break-glass account nor single sign-on configured the UI only explains how to turn it
 * on. Routes have no id in their path: the team, user or key an action is about is the URL-encoded
 * {@code ?id=} (see {@link UiPage#id}). Thread-safe.
 */
public final class UiRoutes implements Routes {
  private final UiSettings settings;
  private final Ui ui;
  private final ServerServices services;
  private final SessionStore store;
  private final StaticAssets assets = new StaticAssets();
  private final UiErrors errors;
  private final java.util.Optional<io.llmgateway.postgres.PostgresAlerts> alerts; // s8-alerts

  /** A page or action that runs only for a signed-in operator. */
  @FunctionalInterface
  interface SessionHandler {
    void handle(Context ctx, UiSession session) throws Exception;
  }

  UiRoutes(ServerServices s, UiSettings settings, SessionStore store) {
    this(s, settings, store, java.util.Optional.empty());
  }

  UiRoutes(
      ServerServices s,
      UiSettings settings,
      SessionStore store,
      java.util.Optional<io.llmgateway.postgres.PostgresAlerts> alerts) {
    this.alerts = alerts;
    this.settings = settings;
    this.ui =
        new Ui(
            s.gateway(),
            new Templates(),
            s.clock(),
            s.config().zone(),
            s.metrics(),
            s.config().timings().probeTimeout(),
            new UiAlertFields(s.adminExtension(), alerts));
    this.services = s;
    this.store = store;
    this.errors = new UiErrors(ui.templates);
  }

  /** For {@code GatewayServer.Builder#routes}: the UI with these settings and this store. */
  public static Function<ServerServices, Routes> factory(UiSettings settings, SessionStore store) {
    return s -> new UiRoutes(s, settings, store);
  }

  /** s8-alerts: with the budget alerts page ({@code /ui/alerts}, docs/ALERTS.md). */
  public static Function<ServerServices, Routes> factory(
      UiSettings settings, SessionStore store, io.llmgateway.postgres.PostgresAlerts alerts) {
    return s -> new UiRoutes(s, settings, store, java.util.Optional.of(alerts));
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.before("/ui", SecurityHeaders::apply);
    r.before("/ui/*", SecurityHeaders::apply);
    r.get("/ui/static/{file}", assets::serve);
    if (!settings.enabled()) {
      r.get("/ui", this::disabled);
      r.get("/ui/*", this::disabled);
      r.post("/ui/*", this::disabled);
      return;
    }
    Cookies cookies = new Cookies(settings.cookies());
    UiSessions sessions = new UiSessions(store, settings, cookies, services.clock());
    // Sessions made under another account or password end now, on every instance (a rotation).
    sessions.endStale();
    LoginPage login =
        new LoginPage(
            ui,
            settings,
            sessions,
            new LoginThrottle(store, settings.throttle(), services.clock()),
            cookies,
            services.config().masterKey(),
            services.clients());
    r.get(
        "/ui",
        page(sessions, (ctx, s) -> ctx.redirect(UiAccess.home(s.grant()), HttpStatus.SEE_OTHER)));
    r.get("/ui/login", login::get);
    r.post("/ui/login", login::post);
    r.post("/ui/logout", action(sessions, (ctx, s) -> login.logout(ctx)));
    // sso: OpenID Connect sign-in (only when a provider is configured).
    settings
        .oidc()
        .ifPresent(
            oidc -> {
              OidcPages sso =
                  new OidcPages(
                      ui,
                      new OidcClient(oidc, services.clock()),
                      grants(oidc),
                      sessions,
                      cookies,
                      services.clients());
              r.get("/ui/oidc/login", sso::login);
              r.get("/ui/oidc/callback", sso::callback);
            });

    OverviewPage overview = new OverviewPage(ui);
    r.get("/ui/overview", page(sessions, overview::get));

    TeamsPage teams = new TeamsPage(ui);
    r.get("/ui/teams", page(sessions, teams::get));
    r.post("/ui/teams", action(sessions, teams::create));
    TeamPage team = new TeamPage(ui);
    r.get("/ui/team", page(sessions, team::get));
    r.post("/ui/team", action(sessions, team::save));
    r.post("/ui/team/delete", action(sessions, team::delete));

    UsersPage users = new UsersPage(ui);
    r.get("/ui/users", page(sessions, users::get));
    r.post("/ui/users", action(sessions, users::create));
    r.post("/ui/users/delete", action(sessions, users::delete));

    KeysPage keys = new KeysPage(ui);
    r.get("/ui/keys", page(sessions, keys::get));
    r.post("/ui/keys", action(sessions, keys::create));
    r.post("/ui/keys/block", action(sessions, (ctx, s) -> keys.block(ctx, s, true)));
    r.post("/ui/keys/unblock", action(sessions, (ctx, s) -> keys.block(ctx, s, false)));
    r.post("/ui/keys/rotate", action(sessions, keys::rotate));
    r.post("/ui/keys/delete", action(sessions, keys::delete));

    ModelsPage models = new ModelsPage(ui);
    r.get("/ui/models", page(sessions, models::get));
    // lists: add, edit and delete models
    ModelPage model = new ModelPage(ui);
    r.post("/ui/models", action(sessions, (ctx, s) -> model.create(ctx, s, models)));
    r.get("/ui/model", page(sessions, model::get));
    r.post("/ui/model", action(sessions, model::save));
    r.post("/ui/model/delete", action(sessions, model::delete));

    SpendPage spend = new SpendPage(ui);
    r.get("/ui/spend", page(sessions, spend::get));
    r.get("/ui/spend.csv", page(sessions, spend::csv));

    // reqlog
    RequestsPage requests = new RequestsPage(ui);
    r.get("/ui/requests", page(sessions, requests::get));

    AuditPage audit = new AuditPage(ui);
    r.get("/ui/audit", page(sessions, audit::get));

    // s8-alerts: budget alerts and their delivery state (read-only)
    if (alerts.isPresent()) {
      AlertsPage alertsPage = new AlertsPage(ui, alerts.get());
      r.get("/ui/alerts", page(sessions, alertsPage::get));
    }

    // usage: spend over time, budgets, CSV; the playground (runs a picked key's request here)
    UsagePage usage = new UsagePage(ui);
    r.get("/ui/usage", page(sessions, usage::get));
    r.get("/ui/usage.csv", page(sessions, usage::csv));
    PlaygroundPage playground = new PlaygroundPage(ui, services);
    r.get("/ui/playground", page(sessions, playground::get));
    r.get("/ui/playground/models", page(sessions, playground::models));
    r.get("/ui/playground/status", page(sessions, playground::status));
    r.post("/ui/playground/chat", action(sessions, playground::chat));
    // edit: user and key detail/edit pages, key rotation with a grace period
    UserPage user = new UserPage(ui);
    r.get("/ui/user", page(sessions, user::get));
    r.post("/ui/user", action(sessions, user::save));
    KeyPage key = new KeyPage(ui);
    r.get("/ui/key", page(sessions, key::get));
    r.post("/ui/key", action(sessions, key::save));
    r.post("/ui/key/rotate", action(sessions, key::rotate));
    // operators: named operators (proxy admins) and self-service (members)
    OperatorsPage operators = new OperatorsPage(ui);
    r.get("/ui/operators", page(sessions, operators::get));
    r.post("/ui/operators", action(sessions, operators::create));
    r.post("/ui/operators/update", action(sessions, operators::update));
    r.post("/ui/operators/delete", action(sessions, operators::delete));
    MePage me = new MePage(ui);
    r.get("/ui/me", page(sessions, me::get));
    r.post("/ui/me/keys", action(sessions, me::create));
    r.post("/ui/me/keys/rotate", action(sessions, me::rotate));
    r.post("/ui/me/keys/block", action(sessions, me::block));
    r.post("/ui/me/keys/delete", action(sessions, me::delete));
    // Last: any other /ui address is an HTML 404 (registered after every UI route, so it only
    // takes what none of them matched), never the API's JSON "no route".
    r.get("/ui/*", page(sessions, (ctx, s) -> errors.notFound(ctx)));
    r.post("/ui/*", action(sessions, (ctx, s) -> errors.notFound(ctx)));
  }

  private Handler page(UiSessions sessions, SessionHandler h) {
    return ctx -> {
      Optional<UiSession> s = sessions.current(ctx);
      if (s.isEmpty()) {
        ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
        return;
      }
      if (admitted(ctx, s.get(), false)) {
        run(ctx, s.get(), h);
      }
    };
  }

  /** Runs a handler; whatever escapes it is an HTML error page, never JSON or a stack trace. */
  private void run(Context ctx, UiSession session, SessionHandler h) {
    try {
      h.handle(ctx, session);
    } catch (Exception e) {
      errors.failed(ctx, e);
    }
  }

  /**
   * operators: a page or action the session's grant may not use answers the UI's 403 page (with the
   * navigation, and a link to the person's start page: no redirect loop). Sign-out is for everyone.
   */
  private boolean admitted(Context ctx, UiSession s, boolean post) {
    String page = UiAccess.pageOf(ctx.path());
    if (page.isEmpty() || page.equals("logout") || !UiAccess.known(page)) {
      return true; // an unknown address is the handler's: the UI's 404 page
    }
    boolean ok = post ? UiAccess.acts(s.grant(), page) : UiAccess.opens(s.grant(), page);
    if (!ok) {
      ui.templates.html(
          ctx,
          403,
          "refused",
          new Refused(
              post
                  ? "Your role (" + UiAccess.label(s.grant()) + ") may not do this."
                  : "This page is not for your role (" + UiAccess.label(s.grant()) + ")."),
          Layout.of(page, "Not allowed", s, null, null));
    }
    return ok;
  }

  /** The role 403 page's text. */
  record Refused(String reason) {}

  private Handler action(UiSessions sessions, SessionHandler h) {
    return ctx -> {
      Optional<UiSession> s = sessions.current(ctx);
      if (s.isEmpty()) {
        ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
        return;
      }
      if (!Csrf.sameOrigin(ctx) || !Csrf.tokenMatches(ctx, s.get())) {
        ui.templates.html(
            ctx,
            403,
            "forbidden",
            new Forbidden("The request had no valid CSRF token or came from another site."));
        return;
      }
      if (admitted(ctx, s.get(), true)) {
        run(ctx, s.get(), h);
      }
    };
  }

  /**
   * Who a single sign-on person is, first answer wins: a named operator (by verified e-mail,
   * managed on the operators page), then the groups mapping, then a gateway user with that verified
   * e-mail (self-service).
   */
  private GrantResolver grants(OidcSettings oidc) {
    return GrantResolver.firstOf(
        List.of(
            person -> person.verifiedEmail().flatMap(ui.admin::grantFor),
            GrantResolver.groups(oidc.roles()),
            new MemberGrantResolver(ui.admin)));
  }

  /** The 403 page's text. */
  record Forbidden(String reason) {}

  private void disabled(Context ctx) {
    ui.templates.html(ctx, 503, "disabled", new Forbidden("not configured"));
  }
}

package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.session.SessionStore;
import io.llmgateway.core.session.UiSession;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.Routes;
import java.util.Optional;
import java.util.function.Function;

/**
 * The admin UI at {@code /ui}: server-rendered pages over the one {@code AdminService}. Every
 * response carries the security headers; every page needs a session (else a redirect to sign-in);
 * every {@code POST} needs a session, the same origin and the session's CSRF token (else 403). With
 * no operator account configured the UI only explains how to turn it on. Thread-safe.
 */
public final class UiRoutes implements Routes {
  private final UiSettings settings;
  private final Ui ui;
  private final UiSessions sessions;
  private final LoginPage login;
  private final StaticAssets assets = new StaticAssets();

  /** A page or action that runs only for a signed-in operator. */
  @FunctionalInterface
  interface SessionHandler {
    void handle(Context ctx, UiSession session) throws Exception;
  }

  UiRoutes(ServerServices s, UiSettings settings, SessionStore store) {
    this.settings = settings;
    Cookies cookies = new Cookies(settings.cookies());
    this.ui =
        new Ui(
            s.gateway(),
            new Templates(),
            s.clock(),
            s.config().zone(),
            s.metrics(),
            s.config().timings().probeTimeout());
    this.sessions = new UiSessions(store, settings, cookies, s.clock());
    this.login =
        new LoginPage(
            ui,
            settings,
            sessions,
            new LoginThrottle(store, settings, s.clock()),
            cookies,
            s.config().masterKey());
  }

  /** For {@code GatewayServer.Builder#routes}: the UI with these settings and this store. */
  public static Function<ServerServices, Routes> factory(UiSettings settings, SessionStore store) {
    return s -> new UiRoutes(s, settings, store);
  }

  @Override
  public void register(JavalinDefaultRoutingApi r) {
    r.before("/ui", SecurityHeaders::apply);
    r.before("/ui/*", SecurityHeaders::apply);
    r.get("/ui/static/{file}", assets::serve);
    if (settings.admin().isEmpty()) {
      r.get("/ui", this::disabled);
      r.get("/ui/*", this::disabled);
      r.post("/ui/*", this::disabled);
      return;
    }
    r.get("/ui", ctx -> ctx.redirect("/ui/overview", HttpStatus.SEE_OTHER));
    r.get("/ui/login", login::get);
    r.post("/ui/login", login::post);
    r.post("/ui/logout", action((ctx, s) -> login.logout(ctx)));

    OverviewPage overview = new OverviewPage(ui);
    r.get("/ui/overview", page(overview::get));

    TeamsPage teams = new TeamsPage(ui);
    r.get("/ui/teams", page(teams::get));
    r.post("/ui/teams", action(teams::create));
    TeamPage team = new TeamPage(ui);
    r.get("/ui/teams/{id}", page(team::get));
    r.post("/ui/teams/{id}", action(team::save));
    r.post("/ui/teams/{id}/delete", action(team::delete));

    UsersPage users = new UsersPage(ui);
    r.get("/ui/users", page(users::get));
    r.post("/ui/users", action(users::create));
    r.post("/ui/users/{id}/delete", action(users::delete));

    KeysPage keys = new KeysPage(ui);
    r.get("/ui/keys", page(keys::get));
    r.post("/ui/keys", action(keys::create));
    r.post("/ui/keys/{id}/block", action((ctx, s) -> keys.block(ctx, s, true)));
    r.post("/ui/keys/{id}/unblock", action((ctx, s) -> keys.block(ctx, s, false)));
    r.post("/ui/keys/{id}/rotate", action(keys::rotate));
    r.post("/ui/keys/{id}/delete", action(keys::delete));

    ModelsPage models = new ModelsPage(ui);
    r.get("/ui/models", page(models::get));

    SpendPage spend = new SpendPage(ui);
    r.get("/ui/spend", page(spend::get));
    r.get("/ui/spend.csv", page(spend::csv));

    AuditPage audit = new AuditPage(ui);
    r.get("/ui/audit", page(audit::get));
  }

  private Handler page(SessionHandler h) {
    return ctx -> {
      Optional<UiSession> s = sessions.current(ctx);
      if (s.isEmpty()) {
        ctx.redirect("/ui/login", HttpStatus.SEE_OTHER);
        return;
      }
      h.handle(ctx, s.get());
    };
  }

  private Handler action(SessionHandler h) {
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
      h.handle(ctx, s.get());
    };
  }

  /** The 403 page's text. */
  record Forbidden(String reason) {}

  private void disabled(Context ctx) {
    ui.templates.html(ctx, 503, "disabled", new Forbidden("not configured"));
  }
}

package io.llmgateway.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.HttpProblem;
import io.llmgateway.server.http.RequestAttributes;
import io.llmgateway.server.http.Routes;
import java.util.ArrayList;
import java.util.List;

/**
 * LiteLLM's management API (keys, teams, users, models, spend) plus our audit log, over the one
 * {@code AdminService}. Every route comes from {@link #table}, each with an explicit {@link
 * Policy}; {@link AdminGate} checks it in one before-handler, and each handler re-checks that the
 * gate admitted exactly this route (so a handler can never run ungated). See docs/ADMIN_API.md.
 * Thread-safe.
 */
public final class AdminRoutes implements Routes {
  private final List<AdminRoute> table;
  private final AdminGate gate;
  private final AdminApi api;

  public AdminRoutes(ServerServices services) {
    this.api = AdminApi.of(services);
    this.table = table(api);
    this.gate = new AdminGate(table, services.auth());
  }

  /** Every admin route; the role x route test and the docs test are generated from it. */
  static List<AdminRoute> table(AdminApi api) {
    List<AdminRoute> all = new ArrayList<>();
    all.addAll(new KeyRoutes(api).routes());
    TeamRoutes teams = new TeamRoutes(api);
    all.addAll(teams.routes());
    all.addAll(new TeamMemberRoutes(api, teams).routes());
    all.addAll(new UserRoutes(api).routes());
    all.addAll(new ModelRoutes(api).routes());
    all.addAll(new SpendRoutes(api).routes());
    all.addAll(new RequestLogRoutes(api).routes()); // reqlog
    all.addAll(new OperatorRoutes(api).routes()); // operators
    return List.copyOf(all);
  }

  List<AdminRoute> routes() {
    return table;
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    routes.before(gate::check);
    for (AdminRoute r : table) {
      switch (r.method()) {
        case GET -> routes.get(r.path(), ctx -> run(r, ctx));
        case POST -> routes.post(r.path(), ctx -> run(r, ctx));
      }
    }
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/admin.json");
  }

  private void run(AdminRoute route, Context ctx) throws Exception {
    if (ctx.attribute(AdminGate.ROUTE) != route) {
      // The gate did not admit this route (path normalisation mismatch): refuse, never run.
      throw new HttpProblem(
          403, "permission_error", "route_not_allowed", "admin route not admitted", null);
    }
    Principal actor = ctx.attribute(RequestAttributes.PRINCIPAL);
    AdminCall call = new AdminCall(ctx, actor, api.json());
    JsonNode out = route.handler().handle(call);
    if (out == null) {
      return; // the handler streamed its own answer (the spend export's CSV)
    }
    ctx.status(call.status()).contentType("application/json").result(api.json().write(out));
  }
}

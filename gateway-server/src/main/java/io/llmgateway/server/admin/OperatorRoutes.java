package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.Policy.MASTER_OR_PROXY_ADMIN;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Operator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /operator/*}: the admin UI's named operators (our addition; LiteLLM keeps its UI operators
 * behind its enterprise licence). An operator is the e-mail or user name a person signs in to the
 * UI as, with a role: {@code proxy_admin}, {@code viewer}, or {@code team_admin} of the {@code
 * teams} named (ids or aliases; each must exist). Proxy admins only; every change is audited and
 * ends that person's UI sessions.
 */
final class OperatorRoutes {
  private static final Set<String> FIELDS = Set.of("operator", "role", "teams");

  private final AdminApi api;

  OperatorRoutes(AdminApi api) {
    this.api = api;
  }

  List<AdminRoute> routes() {
    return List.of(
        AdminRoute.post("/operator/new", MASTER_OR_PROXY_ADMIN, "Add a UI operator", this::create),
        AdminRoute.post(
            "/operator/update", MASTER_OR_PROXY_ADMIN, "Change a UI operator's role", this::update),
        AdminRoute.post(
            "/operator/delete", MASTER_OR_PROXY_ADMIN, "Remove a UI operator", this::delete),
        AdminRoute.get("/operator/list", MASTER_OR_PROXY_ADMIN, "List UI operators", this::list));
  }

  private JsonNode create(AdminCall call) throws Exception {
    Body b = call.body(FIELDS);
    return view(api.admin().createOperator(call.actor(), b.requiredText("operator"), grant(b)));
  }

  private JsonNode update(AdminCall call) throws Exception {
    Body b = call.body(FIELDS);
    return view(api.admin().updateOperator(call.actor(), b.requiredText("operator"), grant(b)));
  }

  private JsonNode delete(AdminCall call) throws Exception {
    Body b = call.body(Set.of("operator"));
    String name = b.requiredText("operator");
    api.admin().deleteOperator(call.actor(), name);
    ObjectNode o = AdminJson.object();
    o.put("deleted_operator", Operator.normalize(name));
    return o;
  }

  private JsonNode list(AdminCall call) throws Exception {
    call.query(Set.of());
    ArrayNode items = AdminJson.array();
    api.admin().operators(call.actor()).forEach(o -> items.add(view(o)));
    ObjectNode out = AdminJson.object();
    out.set("operators", items);
    return out;
  }

  /** The role and teams of a request; teams only, and always, for a team admin. */
  static Grant grant(Body b) {
    String role = b.requiredText("role");
    List<String> teams = b.textOrList("teams").orElse(List.of());
    if (!role.equals("team_admin") && !teams.isEmpty()) {
      throw Body.invalid("teams", "teams are given only for role team_admin");
    }
    return switch (role) {
      case "proxy_admin" -> new Grant.ProxyAdmin();
      case "viewer" -> new Grant.Viewer();
      case "team_admin" -> {
        if (teams.isEmpty()) {
          throw Body.invalid("teams", "a team_admin operator names at least one team");
        }
        yield new Grant.TeamAdmin(new LinkedHashSet<>(teams));
      }
      default -> throw Body.invalid("role", "role must be proxy_admin, viewer or team_admin");
    };
  }

  static ObjectNode view(Operator o) {
    ObjectNode n = AdminJson.object();
    n.put("operator", o.name());
    n.put("role", o.grant().role());
    n.set(
        "teams",
        Views.strings(
            o.grant() instanceof Grant.TeamAdmin t
                ? List.copyOf(new java.util.TreeSet<>(t.teamIds()))
                : List.of()));
    n.put("created_at", o.createdAt().toString());
    n.put("updated_at", o.updatedAt().toString());
    return n;
  }
}

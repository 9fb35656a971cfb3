package io.llmgateway.server.alerts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Rights;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.PostgresAlerts;
import io.llmgateway.postgres.PostgresAlerts.Alert;
import io.llmgateway.postgres.PostgresAlerts.Thresholds;
import io.llmgateway.server.ServerServices;
import io.llmgateway.server.http.BodyReader;
import io.llmgateway.server.http.HttpProblem;
import io.llmgateway.server.http.Routes;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The alerts' admin routes (docs/ALERTS.md). {@code GET /alert/list}: alerts newest first with
 * their delivery state, attempts and last error (a proxy admin sees all, a team admin its team's,
 * its members' and its keys'); {@code GET /alert/thresholds}: a scope's thresholds row; {@code POST
 * /alert/thresholds}: sets one (proxy admin), with LiteLLM's {@code soft_budget} and our {@code
 * alert_thresholds}. Thread-safe.
 */
public final class AlertRoutes implements Routes {
  private static final Set<String> FIELDS =
      Set.of(
          "scope_kind",
          "scope_id",
          "alert_thresholds",
          "soft_budget",
          "budget_duration",
          "soft_budget_duration");

  private final ServerServices services;
  private final PostgresAlerts alerts;

  public AlertRoutes(ServerServices services, PostgresAlerts alerts) {
    this.services = services;
    this.alerts = alerts;
  }

  @Override
  public void register(JavalinDefaultRoutingApi routes) {
    routes.get("/alert/list", this::list);
    routes.get("/alert/thresholds", this::thresholds);
    routes.post("/alert/thresholds", this::setThresholds);
  }

  @Override
  public List<String> openApiFragments() {
    return List.of("/openapi/alerts.json");
  }

  private void list(Context ctx) {
    Principal p = services.auth().require(ctx);
    Optional<String> team = visibleTeam(p);
    Optional<String> state = Optional.ofNullable(ctx.queryParam("state"));
    if (state.isPresent() && !Set.of("pending", "delivered", "failed").contains(state.get())) {
      throw HttpProblem.badRequest("state must be pending, delivered or failed", "state");
    }
    int limit = 100;
    String l = ctx.queryParam("limit");
    if (l != null) {
      try {
        limit = Integer.parseInt(l);
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > 1000) {
        throw HttpProblem.badRequest("limit must be 1 to 1000", "limit");
      }
    }
    ArrayNode data = services.json().mapper().createArrayNode();
    for (Alert a : alerts.list(team, state, limit)) {
      data.add(view(a));
    }
    ObjectNode out = services.json().mapper().createObjectNode();
    out.set("data", data);
    write(ctx, out);
  }

  /** Empty: every alert; a team: only that team's. A plain user key may not list alerts. */
  private static Optional<String> visibleTeam(Principal p) {
    if (p.rights() == Rights.PROXY_ADMIN) {
      return Optional.empty();
    }
    if (p.rights() == Rights.TEAM_ADMIN) {
      if (p instanceof Principal.Keyed k && k.key().teamId().isPresent()) {
        return k.key().teamId();
      }
      if (p instanceof Principal.Person person
          && person.grant() instanceof Grant.TeamAdmin t
          && t.teamIds().size() == 1) {
        return Optional.of(t.teamIds().iterator().next());
      }
    }
    throw new HttpProblem(
        403,
        "permission_error",
        "route_not_allowed",
        "alerts need a proxy-admin or team-admin key",
        null);
  }

  private void thresholds(Context ctx) {
    requireProxyAdmin(ctx);
    String kind = kind(ctx.queryParam("scope_kind"));
    String id = kind.equals(PostgresAlerts.GLOBAL) ? "*" : required(ctx.queryParam("scope_id"));
    Thresholds t =
        alerts
            .thresholds(kind, id)
            .orElseThrow(() -> HttpProblem.notFound("no alert thresholds set for this scope"));
    write(ctx, view(t));
  }

  private void setThresholds(Context ctx) throws Exception {
    Principal actor = requireProxyAdmin(ctx);
    JsonNode body = services.json().parse(BodyReader.read(ctx, 64 * 1024));
    if (!body.isObject()) {
      throw HttpProblem.badRequest("the body must be a JSON object");
    }
    body.fieldNames()
        .forEachRemaining(
            f -> {
              if (!FIELDS.contains(f)) {
                throw HttpProblem.badRequest("unknown field " + f, f);
              }
            });
    String kind = kind(body.path("scope_kind").asText(null));
    String id =
        kind.equals(PostgresAlerts.GLOBAL) ? "*" : required(body.path("scope_id").asText(null));
    List<String> problems = new ArrayList<>();
    ThresholdFields fields = ThresholdFields.read(body, (field, message) -> problems.add(message));
    if (!problems.isEmpty()) {
      throw HttpProblem.badRequest(String.join("; ", problems));
    }
    if (kind.equals(PostgresAlerts.GLOBAL) && fields.soft().isPresent()) {
      throw HttpProblem.badRequest("a soft budget belongs to a key, user or team", "soft_budget");
    }
    Thresholds t =
        fields.onto(
            alerts
                .thresholds(kind, id)
                .orElse(
                    new Thresholds(
                        kind, id, Optional.empty(), Optional.empty(), Optional.empty())));
    alerts.setThresholds(t, Optional.of(AlertAdminFields.actorName(actor)));
    write(ctx, view(t));
  }

  private Principal requireProxyAdmin(Context ctx) {
    Principal p = services.auth().require(ctx);
    if (p.rights() != Rights.PROXY_ADMIN) {
      throw new HttpProblem(
          403,
          "permission_error",
          "route_not_allowed",
          "alert thresholds need a proxy-admin key",
          null);
    }
    return p;
  }

  private static String kind(String value) {
    if (value == null) {
      throw HttpProblem.badRequest("scope_kind must be global, team, user or key", "scope_kind");
    }
    String k = value.toUpperCase(Locale.ROOT);
    if (!Set.of("GLOBAL", "TEAM", "USER", "KEY").contains(k)) {
      throw HttpProblem.badRequest("scope_kind must be global, team, user or key", "scope_kind");
    }
    return k;
  }

  private static String required(String id) {
    if (id == null || id.isBlank() || id.length() > 256) {
      throw HttpProblem.badRequest("scope_id must be 1 to 256 characters", "scope_id");
    }
    return id;
  }

  private ObjectNode view(Alert a) {
    ObjectNode o = services.json().mapper().createObjectNode();
    o.put("idempotency_id", AlertMessage.idempotencyId(a));
    o.put("scope_kind", a.scopeKind().toLowerCase(Locale.ROOT));
    o.put("scope_id", a.scopeId());
    o.put("window", a.window().toLowerCase(Locale.ROOT));
    o.put("period", a.period());
    o.put(
        "threshold_kind",
        switch (a.thresholdKind()) {
          case "soft" -> "soft_budget";
          case "forecast" -> "forecast";
          default -> "fraction";
        });
    if (AlertMessage.forecast(a)) {
      o.put(
          "projected",
          Money.ofNanos(AlertMessage.projectedAtReset(a).orElse(a.committedNanos())).toUsd());
    } else if (a.thresholdKind().equals("soft")) {
      o.put("soft_budget", Money.ofNanos(a.thresholdValue()).toUsd());
    } else {
      o.put("threshold", new BigDecimal(a.thresholdValue()).movePointLeft(4));
    }
    o.put("spend", Money.ofNanos(a.committedNanos()).toUsd());
    o.put("limit", Money.ofNanos(a.limitNanos()).toUsd());
    o.put("crossed_at", a.crossedAt().toString());
    o.put("resets_at", a.resetsAt().toString());
    o.put("state", a.state());
    o.put("attempts", a.attempts());
    ArrayNode ch = o.putArray("delivered_channels");
    a.deliveredChannels().forEach(ch::add);
    o.put("last_error", a.lastError().orElse(null));
    o.put("finished_at", a.finishedAt().map(Object::toString).orElse(null));
    return o;
  }

  private ObjectNode view(Thresholds t) {
    ObjectNode o = services.json().mapper().createObjectNode();
    o.put("scope_kind", t.scopeKind().toLowerCase(Locale.ROOT));
    o.put("scope_id", t.scopeId());
    if (t.fractionsBp().isPresent()) {
      ArrayNode a = o.putArray("alert_thresholds");
      t.fractionsBp().get().forEach(bp -> a.add(new BigDecimal(bp).movePointLeft(4)));
    } else {
      o.putNull("alert_thresholds"); // inherited
    }
    o.put("soft_budget_daily", t.softDailyNanos().map(n -> Money.ofNanos(n).toUsd()).orElse(null));
    o.put(
        "soft_budget_monthly",
        t.softMonthlyNanos().map(n -> Money.ofNanos(n).toUsd()).orElse(null));
    return o;
  }

  private void write(Context ctx, JsonNode out) {
    ctx.contentType("application/json").result(services.json().write(out));
  }
}

package io.llmgateway.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.cli.CliException;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeyPatch;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.TeamPatch;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.admin.UserPatch;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@link Admin} operations over the gateway's LiteLLM-compatible admin API (docs/ADMIN_API.md)
 * with an admin key (master, proxy-admin or team-admin): the server applies the key's role, so a
 * team admin sees and changes only its own team. The key is sent only in the Authorization header
 * and never appears in a message. Thread-safe.
 */
public final class HttpAdmin implements Admin {
  /** The API's page-size caps: /key/list 100, /team/list and /user/list 1000. */
  private static final int KEY_PAGE = 100;

  private final ApiTransport api;
  private final ApiCatalog catalog;
  private final ObjectMapper json = new ObjectMapper();

  public HttpAdmin(URI base, String adminKey) {
    this.api = new ApiTransport(base, adminKey);
    this.catalog = new ApiCatalog(api);
  }

  @Override
  public Page<Team> teams(PageRequest page) {
    HttpResponse<String> r =
        api.send(
            api.get("/team/list", ApiTransport.query("page", page.page(), "size", page.size())));
    JsonNode body = api.read(r);
    List<Team> teams = new ArrayList<>();
    body.forEach(t -> teams.add(ApiViews.team(t)));
    long total = r.headers().firstValueAsLong("x-total-count").orElse(teams.size());
    return new Page<>(teams, total, page);
  }

  @Override
  public Optional<Team> team(String idOrAlias) {
    return api.optional(api.get("/team/info", ApiTransport.query("team_id", idOrAlias)))
        .map(b -> ApiViews.team(b.path("team_info")));
  }

  @Override
  public Page<User> users(UserQuery q) {
    Map<String, Object> params =
        ApiTransport.query("page", q.page().page(), "page_size", q.page().size());
    q.teamId().ifPresent(t -> params.put("team_id", t));
    JsonNode body = api.read(api.send(api.get("/user/list", params)));
    List<User> users = new ArrayList<>();
    body.path("users").forEach(u -> users.add(ApiViews.user(u)));
    return new Page<>(users, body.path("total").asLong(), q.page());
  }

  @Override
  public Optional<User> user(String userId) {
    return api.optional(api.get("/user/info", ApiTransport.query("user_id", userId)))
        .map(b -> ApiViews.user(b.path("user_info")));
  }

  @Override
  public Page<VirtualKey> keys(KeyQuery q) {
    // The API pages keys by at most 100: the CLI's page is assembled from the API's pages.
    long start = (long) (q.page().page() - 1) * q.page().size();
    long end = start + q.page().size();
    List<VirtualKey> keys = new ArrayList<>();
    long total = 0;
    for (long apiPage = start / KEY_PAGE + 1; ; apiPage++) {
      Map<String, Object> params =
          ApiTransport.query("page", apiPage, "size", KEY_PAGE, "return_full_object", "true");
      q.userId().ifPresent(u -> params.put("user_id", u));
      q.teamId().ifPresent(t -> params.put("team_id", t));
      q.alias().ifPresent(a -> params.put("key_alias", a));
      JsonNode body = api.read(api.send(api.get("/key/list", params)));
      total = body.path("total_count").asLong();
      long first = (apiPage - 1) * KEY_PAGE;
      int i = 0;
      for (JsonNode k : body.path("keys")) {
        long index = first + i++;
        if (index >= start && index < end) {
          keys.add(ApiViews.key(k));
        }
      }
      if (i == 0 || first + i >= end || apiPage >= body.path("total_pages").asLong()) {
        return new Page<>(keys, total, q.page());
      }
    }
  }

  @Override
  public Optional<VirtualKey> key(String ref) {
    return api.optional(api.get("/key/info", ApiTransport.query("key", ref)))
        .map(b -> ApiViews.key(b.path("info")))
        .or(
            () ->
                keys(KeyQuery.builder(PageRequest.first(1)).alias(ref).build()).items().stream()
                    .findFirst());
  }

  @Override
  public VirtualKey block(String keyId, boolean blocked) {
    ObjectNode b = json.createObjectNode().put("key", keyId);
    return ApiViews.key(api.read(api.send(api.post(blocked ? "/key/block" : "/key/unblock", b))));
  }

  @Override
  public void revoke(String keyId) {
    ObjectNode b = json.createObjectNode();
    b.putArray("keys").add(keyId);
    api.read(api.send(api.post("/key/delete", b)));
  }

  @Override
  public IssuedKey rotate(String keyId, Optional<Duration> grace) {
    ObjectNode b = json.createObjectNode().put("key", keyId);
    grace.ifPresent(g -> b.put("grace_period", Math.max(1, g.toSeconds()) + "s"));
    JsonNode r = api.read(api.send(api.post("/key/regenerate", b)));
    return new IssuedKey(r.path("key").asText(), ApiViews.key(r));
  }

  @Override
  public User createUser(UserSpec spec) {
    ObjectNode b = json.createObjectNode();
    spec.userId().ifPresent(v -> b.put("user_id", v));
    spec.email().ifPresent(v -> b.put("user_email", v));
    spec.alias().ifPresent(v -> b.put("user_alias", v));
    spec.teamId().ifPresent(v -> b.put("team_id", v));
    b.put("user_role", spec.role().name().toLowerCase(java.util.Locale.ROOT));
    ApiBodies.models(b, spec.models());
    ApiBodies.budgets(b, spec.budgets());
    ApiBodies.rateLimits(b, spec.rateLimits());
    b.set("metadata", json.valueToTree(spec.metadata()));
    // The CLI creates keys with 'keys create': no key (and no secret) in this answer.
    b.put("auto_create_key", false);
    return ApiViews.user(api.read(api.send(api.post("/user/new", b))));
  }

  @Override
  public User updateUser(String userId, UserPatch patch) {
    ObjectNode b = json.createObjectNode().put("user_id", userId);
    patch.email().ifPresent(v -> b.put("user_email", v));
    patch.alias().ifPresent(v -> b.put("user_alias", v));
    patch.teamId().ifPresent(v -> b.put("team_id", v));
    patch.role().ifPresent(v -> b.put("user_role", v.name().toLowerCase(java.util.Locale.ROOT)));
    patch.models().ifPresent(v -> ApiBodies.models(b, v));
    patch.budgets().ifPresent(v -> ApiBodies.budgets(b, v));
    patch.rateLimits().ifPresent(v -> ApiBodies.rateLimits(b, v));
    patch.metadata().ifPresent(v -> b.set("metadata", json.valueToTree(v)));
    ApiBodies.increase(b, patch.budgetIncrease());
    return ApiViews.user(api.read(api.send(api.post("/user/update", b))));
  }

  @Override
  public IssuedKey generateKey(KeySpec spec) {
    ObjectNode b = json.createObjectNode();
    spec.userId().ifPresent(v -> b.put("user_id", v));
    spec.teamId().ifPresent(v -> b.put("team_id", v));
    spec.alias().ifPresent(v -> b.put("key_alias", v));
    b.put("key_type", spec.role().name().toLowerCase(java.util.Locale.ROOT));
    ApiBodies.models(b, spec.models());
    ApiBodies.budgets(b, spec.budgets());
    ApiBodies.rateLimits(b, spec.rateLimits());
    spec.expiresAt().ifPresent(v -> b.put("expires", v.toString()));
    b.set("metadata", json.valueToTree(spec.metadata()));
    JsonNode r = api.read(api.send(api.post("/key/generate", b)));
    return new IssuedKey(r.path("key").asText(), ApiViews.key(r));
  }

  @Override
  public VirtualKey updateKey(String keyId, KeyPatch patch) {
    ObjectNode b = json.createObjectNode().put("key", keyId);
    patch.alias().ifPresent(v -> b.put("key_alias", v));
    patch.userId().ifPresent(v -> b.put("user_id", v));
    patch.teamId().ifPresent(v -> b.put("team_id", v));
    patch.role().ifPresent(v -> b.put("key_type", v.name().toLowerCase(java.util.Locale.ROOT)));
    patch.models().ifPresent(v -> ApiBodies.models(b, v));
    patch.budgets().ifPresent(v -> ApiBodies.budgets(b, v));
    patch.rateLimits().ifPresent(v -> ApiBodies.rateLimits(b, v));
    patch.expiresAt().ifPresent(v -> b.put("expires", v.toString()));
    patch.metadata().ifPresent(v -> b.set("metadata", json.valueToTree(v)));
    ApiBodies.increase(b, patch.budgetIncrease());
    return ApiViews.key(api.read(api.send(api.post("/key/update", b))));
  }

  @Override
  public List<LogicalModel> models() {
    return catalog.models();
  }

  @Override
  public void createTeam(TeamSpec spec) {
    catalog.createTeam(spec);
  }

  @Override
  public void updateTeam(String teamId, TeamPatch patch) {
    catalog.updateTeam(teamId, patch);
  }

  @Override
  public void upsertDeployment(Deployment deployment) {
    boolean exists =
        catalog.models().stream()
            .flatMap(m -> m.deployments().stream())
            .anyMatch(d -> d.id().equals(deployment.id()));
    catalog.upsertDeployment(deployment, exists);
  }

  @Override
  public boolean unchanged(Deployment before, Deployment wanted) {
    return ApiCatalog.sameAsShown(before, wanted);
  }

  /**
   * Asks a read that only the master key and proxy admins pass (one audit row): a team-admin key
   * gets 403 there, and would get it half-way through a sync otherwise.
   */
  @Override
  public void requireProxyAdmin(String what) {
    var r = api.send(api.get("/audit/logs", ApiTransport.query("page", 1, "page_size", 1)));
    if (r.statusCode() == 403) {
      throw CliException.validation(
          what
              + " changes the gateway's teams and models: it needs the master key or a"
              + " proxy-admin key, and GATEWAY_ADMIN_KEY is neither (a team-admin key manages"
              + " only its team's users and keys)");
    }
    api.read(r);
  }

  @Override
  public List<SpendTotal> spendReport(SpendGroup group, Instant from, Instant to) {
    return catalog.spendReport(group, from, to);
  }

  @Override
  public void exportSpend(Instant from, Instant to, java.io.Writer out) throws java.io.IOException {
    api.download(
        "/spend/export",
        ApiTransport.query(
            "format", "focus", "start_date", from.toString(), "end_date", to.toString()),
        out);
  }

  @Override
  public ZoneId zone() {
    return catalog.zone();
  }

  // budget alerts through the object's own update route (the key's rights apply)
  @Override
  public void setAlerts(AlertChange c) {
    ObjectNode b = json.createObjectNode();
    String path =
        switch (c.kind()) {
          case "key" -> {
            b.put("key", c.id());
            yield "/key/update";
          }
          case "user" -> {
            b.put("user_id", c.id());
            yield "/user/update";
          }
          default -> {
            b.put("team_id", c.id());
            yield "/team/update";
          }
        };
    AlertBodies.body(b, c);
    api.read(api.send(api.post(path, b)));
  }

  @Override
  public List<AlertRow> alerts(Optional<String> state, int limit) {
    Map<String, Object> params = ApiTransport.query("limit", limit);
    state.ifPresent(s -> params.put("state", s));
    List<AlertRow> rows = new ArrayList<>();
    api.read(api.send(api.get("/alert/list", params)))
        .path("data")
        .forEach(a -> rows.add(AlertBodies.row(a)));
    return rows;
  }
}

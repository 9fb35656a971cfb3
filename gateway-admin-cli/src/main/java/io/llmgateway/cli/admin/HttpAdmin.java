package io.llmgateway.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.cli.CliException;
import io.llmgateway.cli.ExitCode;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeyPatch;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserPatch;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

  /** The API's page-size caps: /key/list 100, /team/list and /user/list 1000. */
  private static final int KEY_PAGE = 100;

  private final URI base;
  private final String adminKey;
  private final HttpClient http;
  private final ObjectMapper json = new ObjectMapper();

  public HttpAdmin(URI base, String adminKey) {
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.adminKey = adminKey;
    this.http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT).build();
  }

  @Override
  public Page<Team> teams(PageRequest page) {
    HttpResponse<String> r =
        send(get("/team/list", query("page", page.page(), "size", page.size())));
    JsonNode body = read(r);
    List<Team> teams = new ArrayList<>();
    body.forEach(t -> teams.add(ApiViews.team(t)));
    long total = r.headers().firstValueAsLong("x-total-count").orElse(teams.size());
    return new Page<>(teams, total, page);
  }

  @Override
  public Optional<Team> team(String idOrAlias) {
    return optional(get("/team/info", query("team_id", idOrAlias)))
        .map(b -> ApiViews.team(b.path("team_info")));
  }

  @Override
  public Page<User> users(UserQuery q) {
    Map<String, Object> params = query("page", q.page().page(), "page_size", q.page().size());
    q.teamId().ifPresent(t -> params.put("team_id", t));
    JsonNode body = read(send(get("/user/list", params)));
    List<User> users = new ArrayList<>();
    body.path("users").forEach(u -> users.add(ApiViews.user(u)));
    return new Page<>(users, body.path("total").asLong(), q.page());
  }

  @Override
  public Optional<User> user(String userId) {
    return optional(get("/user/info", query("user_id", userId)))
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
          query("page", apiPage, "size", KEY_PAGE, "return_full_object", "true");
      q.userId().ifPresent(u -> params.put("user_id", u));
      q.teamId().ifPresent(t -> params.put("team_id", t));
      q.alias().ifPresent(a -> params.put("key_alias", a));
      JsonNode body = read(send(get("/key/list", params)));
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
    return optional(get("/key/info", query("key", ref)))
        .map(b -> ApiViews.key(b.path("info")))
        .or(
            () ->
                keys(
                        new KeyQuery(
                            Optional.empty(),
                            Optional.empty(),
                            Optional.of(ref),
                            PageRequest.first(1)))
                    .items()
                    .stream()
                    .findFirst());
  }

  @Override
  public VirtualKey block(String keyId, boolean blocked) {
    ObjectNode b = json.createObjectNode().put("key", keyId);
    return ApiViews.key(read(send(post(blocked ? "/key/block" : "/key/unblock", b))));
  }

  @Override
  public void revoke(String keyId) {
    ObjectNode b = json.createObjectNode();
    b.putArray("keys").add(keyId);
    read(send(post("/key/delete", b)));
  }

  @Override
  public IssuedKey rotate(String keyId, Optional<Duration> grace) {
    ObjectNode b = json.createObjectNode().put("key", keyId);
    grace.ifPresent(g -> b.put("grace_period", Math.max(1, g.toSeconds()) + "s"));
    JsonNode r = read(send(post("/key/regenerate", b)));
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
    return ApiViews.user(read(send(post("/user/new", b))));
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
    return ApiViews.user(read(send(post("/user/update", b))));
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
    JsonNode r = read(send(post("/key/generate", b)));
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
    return ApiViews.key(read(send(post("/key/update", b))));
  }

  @Override
  public List<LogicalModel> models() {
    throw databaseOnly("listing models");
  }

  @Override
  public List<SpendTotal> spendReport(SpendGroup group, Instant from, Instant to) {
    throw databaseOnly("spend reports");
  }

  @Override
  public AdminService service() {
    throw databaseOnly("this command");
  }

  @Override
  public Principal actor() {
    throw databaseOnly("this command");
  }

  private static CliException databaseOnly(String what) {
    return CliException.usage(
        what + " works only on the database (DATABASE_URL), not over the admin API (--url)");
  }

  private HttpRequest get(String path, Map<String, Object> params) {
    return request(path + "?" + encode(params)).GET().build();
  }

  private HttpRequest post(String path, JsonNode body) {
    return request(path)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
        .build();
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery))
        .timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + adminKey)
        .header("Accept", "application/json");
  }

  private HttpResponse<String> send(HttpRequest request) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (java.net.http.HttpTimeoutException e) {
      throw CliException.infrastructure(
          "the admin API at " + base + " did not answer in time (" + e.getMessage() + ")", e);
    } catch (IOException e) {
      throw CliException.infrastructure(
          "cannot reach " + base + ": " + describe(e) + " (check GATEWAY_URL / --url)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw CliException.infrastructure("interrupted", e);
    }
  }

  /** A look-up: 404 is "no such object (or not yours)", every other failure as {@link #read}. */
  private Optional<JsonNode> optional(HttpRequest request) {
    HttpResponse<String> r = send(request);
    if (r.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(read(r));
  }

  /** The body of a 2xx answer; an error envelope becomes the CLI's exit code and one line. */
  private JsonNode read(HttpResponse<String> r) {
    JsonNode body;
    try {
      body = json.readTree(r.body());
    } catch (IOException e) {
      body = null;
    }
    int status = r.statusCode();
    if (status >= 200 && status < 300 && body != null) {
      return body;
    }
    String message =
        body == null
            ? "HTTP " + status
            : body.path("error").path("message").asText("HTTP " + status);
    if (status == 401) {
      throw CliException.validation(
          "the admin API refused the key (401: "
              + message
              + "): check GATEWAY_ADMIN_KEY (a master, proxy-admin or team-admin key)");
    }
    if (status == 403) {
      throw CliException.validation(
          "the admin API refused (403: " + message + "): the key's role may not do this");
    }
    if (status >= 400 && status < 500) {
      throw CliException.validation(message);
    }
    throw new CliException(
        ExitCode.INFRASTRUCTURE, "the admin API at " + base + " failed (HTTP " + status + ")");
  }

  private static String describe(IOException e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static Map<String, Object> query(Object... pairs) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], pairs[i + 1]);
    }
    return m;
  }

  private static String encode(Map<String, Object> params) {
    List<String> parts = new ArrayList<>();
    params.forEach(
        (k, v) ->
            parts.add(k + "=" + URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
    return String.join("&", parts);
  }
}

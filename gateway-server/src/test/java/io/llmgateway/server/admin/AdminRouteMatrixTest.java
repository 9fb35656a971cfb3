package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.UserRole;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * The role x route matrix, generated from the admin route table: every route is called by every
 * role (anonymous, user key, team-admin key, proxy-admin key, master key). The gate must refuse
 * exactly the roles the route's policy excludes (403 route_not_allowed, 401 without a key), and
 * admit the others to the handler (whatever it then answers about the data). Plus default deny for
 * admin-looking paths the table does not list.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminRouteMatrixTest {
  private AdminTestServer s;
  private final Map<String, String> keys = new LinkedHashMap<>();
  private List<AdminRoute> table;
  private String teamAdmin;
  private int serial;

  @BeforeAll
  void start() {
    s = AdminTestServer.start();
    s.addSeedModels();
    s.post("/team/new", MASTER, "{\"team_alias\":\"drafting\",\"models\":[\"model-cheap\"]}");
    keys.put("user key", s.key("{\"user_id\":\"ann\",\"team_id\":\"drafting\"}"));
    keys.put(
        "team-admin key",
        s.key("{\"user_id\":\"lead\",\"team_id\":\"drafting\",\"key_type\":\"team_admin\"}"));
    keys.put("proxy-admin key", s.key("{\"key_type\":\"proxy_admin\"}"));
    keys.put("master key", MASTER);
    // Rights come from key type and user role together: an LLM key of a proxy-admin user is a
    // proxy-admin credential, a viewer's key is a user key.
    s.post("/user/new", MASTER, userBody("root-user", "proxy_admin"));
    keys.put("key of a proxy-admin user", s.key("{\"user_id\":\"root-user\"}"));
    s.post("/user/new", MASTER, userBody("view-user", "internal_user_viewer"));
    keys.put("key of a viewer user", s.key("{\"user_id\":\"view-user\"}"));
    teamAdmin = keys.get("team-admin key");
    table = new AdminRoutes(s.server.services()).routes();
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private static String userBody(String id, String role) {
    return "{\"user_id\":\"%s\",\"team_id\":\"drafting\",\"user_role\":\"%s\",\"auto_create_key\":false}"
        .formatted(id, role);
  }

  private static Principal principalFor(String role) {
    return switch (role) {
      case "user key", "key of a viewer user" -> keyed(KeyRole.LLM_API);
      case "key of a proxy-admin user" -> keyedFor(KeyRole.LLM_API, UserRole.PROXY_ADMIN);
      case "team-admin key" -> keyed(KeyRole.TEAM_ADMIN);
      case "proxy-admin key" -> keyed(KeyRole.PROXY_ADMIN);
      default -> Principal.MASTER;
    };
  }

  private static Principal keyed(KeyRole role) {
    return keyedFor(role, UserRole.INTERNAL_USER);
  }

  private static Principal keyedFor(KeyRole role, UserRole userRole) {
    var key =
        new io.llmgateway.core.identity.VirtualKey(
            "key_x",
            io.llmgateway.core.identity.KeyHash.of("sk-x"),
            "sk-...x",
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.of("drafting"),
            role,
            List.of(),
            List.of(),
            io.llmgateway.core.identity.RateLimits.NONE,
            false,
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            Map.of(),
            java.time.Instant.EPOCH,
            java.time.Instant.EPOCH,
            java.util.Optional.empty());
    var user =
        new io.llmgateway.core.identity.User(
            "u",
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.of("drafting"),
            userRole,
            List.of(),
            List.of(),
            io.llmgateway.core.identity.RateLimits.NONE,
            Map.of(),
            java.time.Instant.EPOCH,
            java.time.Instant.EPOCH,
            java.util.Optional.empty());
    return new Principal.Keyed(key, java.util.Optional.of(user), java.util.Optional.empty());
  }

  private static String concrete(String path) {
    return path.replaceAll("\\{[^}]+}", "sk-unknown-key");
  }

  @TestFactory
  Stream<DynamicTest> everyRoleAgainstEveryRoute() {
    List<DynamicTest> tests = new ArrayList<>();
    for (AdminRoute r : table) {
      String path = concrete(r.path());
      String body = r.method() == AdminRoute.Method.POST ? "{}" : null;
      tests.add(
          DynamicTest.dynamicTest(
              "anonymous " + r.method() + " " + r.path() + " -> 401",
              () -> {
                var a = s.send(r.method().name(), path, null, body);
                assertThat(a.status()).as(a.text()).isEqualTo(401);
              }));
      for (var role : keys.entrySet()) {
        boolean allowed = r.policy().allows(principalFor(role.getKey()));
        tests.add(
            DynamicTest.dynamicTest(
                role.getKey()
                    + " "
                    + r.method()
                    + " "
                    + r.path()
                    + (allowed ? " -> admitted" : " -> 403"),
                () -> {
                  var a = s.send(r.method().name(), path, role.getValue(), body);
                  if (allowed) {
                    assertThat(a.status()).as(a.text()).isNotIn(401, 405);
                    assertThat(a.code()).as(a.text()).isNotEqualTo("route_not_allowed");
                    assertThat(a.text()).doesNotContain("no admin route", "no route");
                  } else {
                    assertThat(a.status()).as(a.text()).isEqualTo(403);
                    assertThat(a.code()).isEqualTo("route_not_allowed");
                  }
                }));
      }
    }
    return tests.stream();
  }

  /**
   * Issue 15, finding 1: users of every role inside the team admin's own team. A target "above" the
   * team admin (a proxy-admin user, a user holding a proxy-admin key, another team admin) is
   * refused every action that creates, moves, rotates, edits or deletes its credentials or its
   * user, and stays as it was; a target at user level stays manageable.
   */
  record Target(String name, String userRole, String keyType, boolean above) {}

  record Made(String user, String key, String keyId) {}

  private static final List<Target> TARGETS =
      List.of(
          new Target("proxy-admin user", "proxy_admin", "llm_api", true),
          new Target("holder of a proxy-admin key", "internal_user", "proxy_admin", true),
          new Target("other team admin", "internal_user", "team_admin", true),
          new Target("viewer", "internal_user_viewer", "llm_api", false),
          new Target("internal user", "internal_user", "llm_api", false));

  private Made make(Target t) {
    String user = "t" + (++serial) + "-" + t.userRole().replace('_', '-');
    var u = s.post("/user/new", MASTER, userBody(user, t.userRole()));
    assertThat(u.status()).as(u.text()).isEqualTo(200);
    var k =
        s.post(
            "/key/generate",
            MASTER,
            "{\"user_id\":\"%s\",\"key_type\":\"%s\"}".formatted(user, t.keyType()));
    return new Made(user, k.json().get("key").asText(), k.json().get("token").asText());
  }

  private Map<String, java.util.function.Function<Made, AdminTestServer.Answer>> actions() {
    Map<String, java.util.function.Function<Made, AdminTestServer.Answer>> a =
        new LinkedHashMap<>();
    a.put("generate a key for", m -> post("/key/generate", "{\"user_id\":\"%s\"}", m.user()));
    a.put(
        "move a team key onto",
        m -> {
          String own = s.post("/key/generate", teamAdmin, "{}").json().get("token").asText();
          return post("/key/update", "{\"key\":\"" + own + "\",\"user_id\":\"%s\"}", m.user());
        });
    a.put("regenerate the key of", m -> post("/key/regenerate", "{\"key\":\"%s\"}", m.keyId()));
    a.put("regenerate (path) the key of", m -> post("/key/" + m.keyId() + "/regenerate", "{}"));
    a.put("block the key of", m -> post("/key/block", "{\"key\":\"%s\"}", m.keyId()));
    a.put(
        "edit the key of",
        m -> post("/key/update", "{\"key\":\"%s\",\"metadata\":{\"x\":\"y\"}}", m.keyId()));
    a.put("delete the key of", m -> post("/key/delete", "{\"keys\":[\"%s\"]}", m.keyId()));
    a.put(
        "change the role of",
        m ->
            post("/user/update", "{\"user_id\":\"%s\",\"user_role\":\"internal_user\"}", m.user()));
    a.put(
        "change the budget of",
        m -> post("/user/update", "{\"user_id\":\"%s\",\"max_budget\":0}", m.user()));
    a.put(
        "remove from the team",
        m ->
            post("/team/member_delete", "{\"team_id\":\"drafting\",\"user_id\":\"%s\"}", m.user()));
    a.put("delete the user", m -> post("/user/delete", "{\"user_ids\":[\"%s\"]}", m.user()));
    return a;
  }

  private AdminTestServer.Answer post(String path, String template, String... args) {
    return s.post(path, teamAdmin, template.formatted((Object[]) args));
  }

  @TestFactory
  Stream<DynamicTest> aTeamAdminAgainstUsersOfEveryRoleInItsTeam() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Target t : TARGETS) {
      for (var action : actions().entrySet()) {
        String name =
            "team admin may " + (t.above() ? "not " : "") + action.getKey() + " " + t.name();
        tests.add(
            DynamicTest.dynamicTest(
                name,
                () -> {
                  Made m = make(t);
                  var a = action.getValue().apply(m);
                  if (!t.above()) {
                    // A user with keys is never deleted (409); everything else goes through.
                    assertThat(a.status())
                        .as(a.text())
                        .isEqualTo(action.getKey().equals("delete the user") ? 409 : 200);
                    return;
                  }
                  assertThat(a.status()).as(a.text()).isEqualTo(403);
                  assertThat(a.text()).doesNotContain("\"key\":\"sk-");
                  // Nothing changed: the credential still works as it was, the user is where it
                  // was.
                  var own = s.get("/key/info", m.key());
                  assertThat(own.status()).as(own.text()).isEqualTo(200);
                  assertThat(own.json().at("/info/blocked").asBoolean()).isFalse();
                  assertThat(own.json().at("/info/metadata").toString()).doesNotContain("\"x\"");
                  var user = s.get("/user/info?user_id=" + m.user(), MASTER).json();
                  assertThat(user.at("/user_info/user_role").asText()).isEqualTo(t.userRole());
                  assertThat(user.at("/user_info/team_id").asText()).isEqualTo("drafting");
                  assertThat(user.at("/user_info/own_budgets")).isEmpty();
                  assertThat(user.get("keys")).hasSize(1);
                }));
      }
    }
    return tests.stream();
  }

  @Test
  void theIssuesEscalationPathsAllEndInRefusals() {
    Made boss = make(TARGETS.getFirst());
    var minted = post("/key/generate", "{\"user_id\":\"%s\"}", boss.user());
    assertThat(minted.status()).isEqualTo(403);
    assertThat(minted.json().has("key")).isFalse();
    // A team key the team admin owns stays a team key: it cannot be moved onto the boss.
    var own = s.post("/key/generate", teamAdmin, "{}").json();
    post(
        "/key/update",
        "{\"key\":\"%s\",\"user_id\":\"" + boss.user() + "\"}",
        own.get("token").asText());
    assertThat(s.get("/audit/logs", own.get("key").asText()).status()).isEqualTo(403);
    // The boss is not locked out, and keeps its rights.
    assertThat(post("/key/regenerate", "{\"key\":\"%s\"}", boss.keyId()).status()).isEqualTo(403);
    assertThat(s.get("/audit/logs", boss.key()).status()).isEqualTo(200);
    // And the team admin still cannot mint admin keys or raise its own team's budget.
    assertThat(post("/key/generate", "{\"key_type\":\"%s\"}", "proxy_admin").status())
        .isEqualTo(403);
    assertThat(
            post("/team/update", "{\"team_id\":\"%s\",\"max_budget\":1000}", "drafting").status())
        .isEqualTo(403);
  }

  @Test
  void theMatrixCoversEveryPolicyAndEveryLiteLlmRouteTheSeedUses() {
    assertThat(table).extracting(AdminRoute::policy).contains(Policy.values());
    assertThat(table)
        .extracting(r -> r.method() + " " + r.path())
        .contains(
            "POST /model/new",
            "POST /team/new",
            "POST /key/generate",
            "GET /key/list",
            "GET /team/list",
            "POST /user/info",
            "GET /user/info",
            "POST /model/delete",
            "POST /key/delete",
            "GET /request/logs");
  }

  @Test
  void userKeysAreRefusedEveryMutatingRoute() {
    String user = keys.get("user key");
    for (AdminRoute r : table) {
      if (r.method() == AdminRoute.Method.POST && !r.path().equals("/user/info")) {
        var a = s.post(concrete(r.path()), user, "{}");
        assertThat(a.status()).as(r.path()).isEqualTo(403);
      }
    }
  }

  @Test
  void adminLookingPathsThatAreNotInTheTableAreNotFoundForEveryone() {
    List<String[]> unknown =
        List.of(
            new String[] {"GET", "/key/generate"},
            new String[] {"POST", "/key/list"},
            new String[] {"POST", "/KEY/generate"},
            new String[] {"POST", "/key/generate/extra"},
            new String[] {"GET", "/key/secret_admin"},
            new String[] {"POST", "/config/update"},
            new String[] {"POST", "/global/spend/reset"},
            new String[] {"POST", "/budget/new"},
            new String[] {"GET", "/v2/key/info"},
            new String[] {"GET", "/v2/model/info"},
            new String[] {"POST", "/user/bulk_update"},
            new String[] {"DELETE", "/key/delete"},
            new String[] {"PUT", "/team/new"});
    for (String[] u : unknown) {
      for (String bearer : new String[] {null, keys.get("user key"), MASTER}) {
        var a = s.send(u[0], u[1], bearer, u[0].equals("GET") ? null : "{}");
        assertThat(a.status()).as(u[0] + " " + u[1] + " " + a.text()).isIn(404, 405);
      }
    }
  }

  @Test
  void aTrailingSlashOrDoubledSlashIsTheSameRouteAndTheSamePolicy() {
    String user = keys.get("user key");
    for (String path :
        List.of(
            "/team/new/",
            "//team/new",
            "/team//new",
            "/%74eam/new",
            "/team%2Fnew",
            "/team/./new",
            "/key/../team/new",
            "/Team/new",
            "/team/new;x=1")) {
      var a = s.post(path, user, "{\"team_alias\":\"sneaky\"}");
      assertThat(a.status()).as(path + " " + a.text()).isIn(403, 404, 400);
    }
    assertThat(s.get("/team/info?team_id=sneaky", MASTER).status()).isEqualTo(404);
  }
}

package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
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
    table = new AdminRoutes(s.server.services()).routes();
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private static Principal principalFor(String role) {
    return switch (role) {
      case "user key" -> keyed(KeyRole.LLM_API);
      case "team-admin key" -> keyed(KeyRole.TEAM_ADMIN);
      case "proxy-admin key" -> keyed(KeyRole.PROXY_ADMIN);
      default -> Principal.MASTER;
    };
  }

  private static Principal keyed(KeyRole role) {
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
            java.time.Instant.EPOCH);
    return new Principal.Keyed(key, java.util.Optional.empty(), java.util.Optional.empty());
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
            "POST /key/delete");
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

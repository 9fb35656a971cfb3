package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * Every accepted field of every mutating admin route, generated from the routes' field lists, gets
 * an oversized value, SQL metacharacters and a value of the wrong type. The answer is always a
 * clean 2xx or 4xx in the OpenAI error shape (never a 5xx), and a refused request stores nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EveryFieldSweepTest {
  private static final String HUGE = "x".repeat(10_000);
  private static final String SQL = "x' OR '1'='1'; DROP TABLE teams; --";

  private AdminTestServer s;
  private String key;

  @BeforeAll
  void start() {
    s = AdminTestServer.start();
    s.addSeedModels();
    s.post("/team/new", MASTER, "{\"team_alias\":\"drafting\"}");
    key = s.key("{\"user_id\":\"sweep-user\",\"team_id\":\"drafting\"}");
  }

  @AfterAll
  void stop() {
    s.close();
  }

  /** A route, the fields it accepts, and the fields it needs to reach validation at all. */
  private record Target(String path, Set<String> fields, String required) {}

  private List<Target> targets() {
    return List.of(
        new Target("/key/generate", KeyRoutes.GENERATE, ""),
        new Target("/key/update", KeyRoutes.UPDATE, "\"key\":\"" + key + "\""),
        new Target("/team/new", TeamRoutes.NEW, "\"team_alias\":\"sweep-team\""),
        new Target("/team/update", TeamRoutes.UPDATE, "\"team_id\":\"drafting\""),
        new Target("/user/new", UserRoutes.NEW, "\"user_id\":\"sweep-new\""),
        new Target("/user/update", UserRoutes.UPDATE, "\"user_id\":\"sweep-user\""),
        new Target("/model/new", Set.of("model_name", "litellm_params", "model_info"), ""),
        new Target("/key/delete", Set.of("keys", "key_aliases"), ""),
        new Target("/team/delete", Set.of("team_ids"), ""),
        new Target("/user/delete", Set.of("user_ids"), ""),
        new Target("/team/member_add", Set.of("team_id", "member"), ""),
        new Target("/key/block", Set.of("key"), ""),
        new Target("/key/regenerate", Set.of("key", "grace_period"), ""),
        new Target("/model/delete", Set.of("id"), ""));
  }

  private String body(Target t, String field, String valueJson) {
    String req = t.required();
    boolean requiredIsField = req.startsWith("\"" + field + "\"");
    String prefix = req.isEmpty() || requiredIsField ? "" : req + ",";
    return "{" + prefix + "\"" + field + "\":" + valueJson + "}";
  }

  private long count(String what) {
    return switch (what) {
      case "keys" -> s.get("/key/list", MASTER).json().get("total_count").asLong();
      case "users" -> s.get("/user/list", MASTER).json().get("total").asLong();
      default ->
          Long.parseLong(
              s.get("/team/list", MASTER)
                  .raw()
                  .headers()
                  .firstValue("x-total-count")
                  .orElseThrow());
    };
  }

  @TestFactory
  Stream<DynamicTest> everyFieldOfEveryMutatingRoute() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Target t : targets()) {
      for (String field : new TreeSet<>(t.fields())) {
        for (String[] value :
            new String[][] {
              {"oversized", quote(HUGE)},
              {"oversized list item", "[" + quote(HUGE) + "]"},
              {"sql", quote(SQL)},
              {"wrong type", "{\"nested\": [1, 2, {\"deep\": true}]}"},
              {"negative", "-1"}
            }) {
          tests.add(
              DynamicTest.dynamicTest(
                  t.path() + " " + field + " " + value[0],
                  () -> {
                    long keys = count("keys");
                    long users = count("users");
                    long teams = count("teams");
                    var a = s.post(t.path(), MASTER, body(t, field, value[1]));
                    assertThat(a.status()).as(a.text()).isLessThan(500);
                    if (a.status() >= 400) {
                      assertThat(a.json().at("/error/message").asText()).isNotBlank();
                      assertThat(a.text()).doesNotContain("Exception", "SQLState", "org.");
                      if (!value[0].equals("sql")) {
                        assertThat(count("keys")).isEqualTo(keys);
                        assertThat(count("users")).isEqualTo(users);
                        assertThat(count("teams")).isEqualTo(teams);
                      }
                    }
                    if (value[0].startsWith("oversized")) {
                      assertThat(a.status()).as(a.text()).isIn(400, 403, 404, 409, 413);
                    }
                  }));
        }
      }
    }
    return tests.stream();
  }

  private static String quote(String v) {
    try {
      return AdminTestServer.JSON.writeValueAsString(v);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}

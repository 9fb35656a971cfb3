package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16: a body with several bad fields is answered once, 400, naming every one of them (the old
 * code stopped at the first, so a client fixed its request one round trip at a time), and nothing
 * is created or changed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AllProblemsApiTest {
  private AdminTestServer s;
  private String aliceKey;

  @BeforeAll
  void start() {
    s = AdminTestServer.start();
    s.addSeedModels();
    s.post("/team/new", MASTER, "{\"team_alias\":\"drafting\",\"models\":[\"model-cheap\"]}");
    aliceKey =
        s.key("{\"user_id\":\"alice\",\"team_id\":\"drafting\",\"key_alias\":\"alice-key\"}");
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private static List<String> params(JsonNode error) {
    List<String> out = new ArrayList<>();
    error.path("problems").forEach(p -> out.add(p.path("param").asText()));
    return out;
  }

  @Test
  void userNewWithThreeBadFieldsNamesAllThree() {
    var a =
        s.post(
            "/user/new",
            MASTER,
            "{\"user_id\":\"bob\",\"team_id\":\"drafting\",\"user_email\":5,"
                + "\"max_budget\":-1,\"user_role\":\"god\"}");

    assertThat(a.status()).as(a.text()).isEqualTo(400);
    JsonNode e = a.json().get("error");
    // The existing shape: the first problem is message and param, for one-line clients.
    assertThat(e.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(e.get("param").asText()).isEqualTo("user_email");
    assertThat(params(e)).containsExactlyInAnyOrder("user_email", "max_budget", "user_role");
    assertThat(s.get("/user/info?user_id=bob", MASTER).status()).isEqualTo(404);
  }

  @Test
  void keyUpdateWithThreeBadFieldsNamesAllThreeAndChangesNothing() {
    var a =
        s.post(
            "/key/update",
            MASTER,
            "{\"key\":\""
                + aliceKey
                + "\",\"rpm_limit\":0,\"models\":\"model-cheap\","
                + "\"expires\":\"tomorrow\",\"key_alias\":\"ok alias\"}");

    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(params(a.json().get("error")))
        .containsExactlyInAnyOrder("rpm_limit", "models", "expires");
    assertThat(s.get("/key/list?key_alias=ok%20alias", MASTER).json().path("total_count").asInt())
        .isZero();
  }

  @Test
  void keyGenerateNamesAnUnknownTeamAmongTheOtherProblems() {
    var a =
        s.post(
            "/key/generate",
            MASTER,
            "{\"team_id\":\"no-such-team\",\"max_budget\":\"ten\",\"duration\":\"forever\"}");

    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(params(a.json().get("error")))
        .containsExactlyInAnyOrder("max_budget", "duration", "team_id");
    assertThat(a.text()).contains("team 'no-such-team' does not exist");
  }

  @Test
  void aLoneUnknownTeamIsStillNotFound() {
    var a = s.post("/key/generate", MASTER, "{\"team_id\":\"no-such-team\"}");

    assertThat(a.status()).isEqualTo(404);
  }

  @Test
  void teamNewWithThreeBadFieldsNamesAllThreeAndAnUnknownModel() {
    var a =
        s.post(
            "/team/new",
            MASTER,
            "{\"team_alias\":\"bad-team\",\"max_budget\":-1,\"rpm_limit\":0,"
                + "\"metadata\":\"x\",\"models\":[\"model-typo\"]}");

    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(params(a.json().get("error")))
        .containsExactlyInAnyOrder("max_budget", "rpm_limit", "metadata", "models");
    assertThat(a.text()).contains("unknown model 'model-typo'");
    assertThat(s.get("/team/info?team_id=bad-team", MASTER).status()).isEqualTo(404);
  }

  @Test
  void teamUpdateWithThreeBadFieldsNamesAllThreeAndChangesNothing() {
    var a =
        s.post(
            "/team/update",
            MASTER,
            "{\"team_id\":\"drafting\",\"team_member_budget\":\"ten\",\"tpm_limit\":-5,"
                + "\"models\":[\"model-typo\"],\"tier\":\"changed\"}");

    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(params(a.json().get("error")))
        .containsExactlyInAnyOrder("team_member_budget", "tpm_limit", "models");
    JsonNode info = s.get("/team/info?team_id=drafting", MASTER).json().get("team_info");
    assertThat(info.path("models").toString()).isEqualTo("[\"model-cheap\"]");
    assertThat(info.path("tier").asText()).isNotEqualTo("changed");
  }

  @Test
  void teamUpdateNamesANarrowingUnderItsKeysAmongTheOtherProblems() {
    s.post("/team/new", MASTER, "{\"team_alias\":\"narrow\"}");
    s.key("{\"team_id\":\"narrow\",\"key_alias\":\"narrow-key\",\"models\":[\"model-balanced\"]}");

    var a =
        s.post(
            "/team/update",
            MASTER,
            "{\"team_id\":\"narrow\",\"models\":[\"model-cheap\"],\"rpm_limit\":\"many\"}");

    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(params(a.json().get("error"))).containsExactlyInAnyOrder("rpm_limit", "models");
    assertThat(a.text()).contains("still named by key 'narrow-key'");
  }

  @Test
  void keyGenerateWithAnUnknownModelAndABadBudgetNamesBoth() {
    var a =
        s.post(
            "/key/generate",
            MASTER,
            "{\"team_id\":\"drafting\",\"models\":[\"model-typo\"],\"max_budget\":\"ten\"}");

    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(params(a.json().get("error"))).containsExactlyInAnyOrder("max_budget", "models");
    assertThat(a.text()).contains("unknown model 'model-typo'");
  }

  @Test
  void userUpdateWithAModelOutsideItsTeamAndABadLimitNamesBoth() {
    var a =
        s.post(
            "/user/update",
            MASTER,
            "{\"user_id\":\"alice\",\"models\":[\"model-reasoning\"],\"rpm_limit\":0}");

    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(params(a.json().get("error"))).containsExactlyInAnyOrder("rpm_limit", "models");
    assertThat(a.text()).contains("not among the models of team 'drafting'");
  }

  @Test
  void oneBadFieldKeepsTheOldShape() {
    var a = s.post("/user/new", MASTER, "{\"user_id\":\"carol\",\"max_budget\":-1}");

    assertThat(a.status()).isEqualTo(400);
    assertThat(a.json().at("/error/param").asText()).isEqualTo("max_budget");
    assertThat(a.json().at("/error").has("problems")).isFalse();
  }
}

package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.server.admin.AdminTestServer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Issue 16 over real HTTP and PostgreSQL: every admin route that sets models refuses a name the
 * catalog does not have and a list that does not fit its team or user, with a 400 in the OpenAI
 * error shape whose param is {@code models} and whose message names the model and the known ones;
 * nothing refused is stored. A team cannot drop a model its keys still name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ModelReferencesAdminTest {
  private static final String KNOWN = "model-balanced, model-cheap, model-reasoning";

  private AdminTestServer s;

  @BeforeAll
  void start() {
    s = AdminTestServer.start();
    s.addSeedModels();
    ok(s.post("/team/new", MASTER, "{\"team_alias\":\"drafting\",\"models\":[\"model-cheap\"]}"));
    ok(s.post("/user/new", MASTER, "{\"user_id\":\"alice\",\"team_id\":\"drafting\"}"));
  }

  @AfterAll
  void stop() {
    s.close();
  }

  private static Answer ok(Answer a) {
    assertThat(a.status()).as(a.text()).isEqualTo(200);
    return a;
  }

  private static void refused(Answer a, String... named) {
    assertThat(a.status()).as(a.text()).isEqualTo(400);
    assertThat(a.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(a.param()).isEqualTo("models");
    assertThat(a.json().path("error").path("message").asText()).contains(named);
  }

  @Test
  void teamNewAndUpdateRefuseAnUnknownModel() {
    refused(
        s.post("/team/new", MASTER, "{\"team_alias\":\"typo\",\"models\":[\"model-typo\"]}"),
        "'model-typo'",
        KNOWN);
    assertThat(s.get("/team/info?team_id=typo", MASTER).status()).isEqualTo(404);

    refused(
        s.post(
            "/team/update",
            MASTER,
            "{\"team_id\":\"drafting\",\"models\":[\"model-cheap\",\"missing-model\"]}"),
        "'missing-model'",
        KNOWN);
    assertThat(s.get("/team/info?team_id=drafting", MASTER).text()).doesNotContain("missing-model");
  }

  @Test
  void userNewAndUpdateRefuseUnknownModelsAndModelsOutsideTheTeam() {
    refused(
        s.post(
            "/user/new",
            MASTER,
            "{\"user_id\":\"bob\",\"team_id\":\"drafting\",\"models\":[\"model-reasoning\"]}"),
        "'model-reasoning'",
        "team 'drafting'");
    assertThat(s.get("/user/info?user_id=bob", MASTER).status()).isEqualTo(404);

    refused(
        s.post("/user/update", MASTER, "{\"user_id\":\"alice\",\"models\":[\"model-typo\"]}"),
        "'model-typo'",
        KNOWN);
  }

  @Test
  void keyGenerateAndUpdateRefuseAKeyThatCouldCallNothing() {
    refused(
        s.post(
            "/key/generate",
            MASTER,
            "{\"user_id\":\"alice\",\"models\":[\"model-reasoning\"],\"key_alias\":\"useless\"}"),
        "'model-reasoning'",
        "team 'drafting'");
    assertThat(s.get("/key/list?key_alias=useless", MASTER).json().get("total_count").asLong())
        .isZero();

    refused(
        s.post("/key/generate", MASTER, "{\"models\":[\"model-typo\"]}"), "'model-typo'", KNOWN);

    String key = s.key("{\"user_id\":\"alice\",\"models\":[\"model-cheap\"]}");
    refused(
        s.post("/key/update", MASTER, "{\"key\":\"" + key + "\",\"models\":[\"model-balanced\"]}"),
        "'model-balanced'",
        "team 'drafting'");
  }

  @Test
  void narrowingATeamUnderAKeyThatNamesADroppedModelIsRefusedNamingTheKey() {
    ok(
        s.post(
            "/team/new",
            MASTER,
            "{\"team_alias\":\"wide\",\"models\":[\"model-cheap\",\"model-balanced\"]}"));
    s.key("{\"team_id\":\"wide\",\"key_alias\":\"wide-balanced\",\"models\":[\"model-balanced\"]}");

    refused(
        s.post("/team/update", MASTER, "{\"team_id\":\"wide\",\"models\":[\"model-cheap\"]}"),
        "'model-balanced'",
        "key 'wide-balanced'");
  }
}

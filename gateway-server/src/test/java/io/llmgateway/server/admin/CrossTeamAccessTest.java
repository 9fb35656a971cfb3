package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Team admins manage their own team only and never hand out more than they have; user keys read
 * only themselves. Every cross-team attempt is 403 (or 404) and changes nothing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CrossTeamAccessTest {
  private AdminTestServer s;
  private String draftingAdmin;
  private String codingAdmin;
  private String draftingUser;
  private String codingUser;

  @BeforeAll
  void start() {
    s = AdminTestServer.start();
    s.addSeedModels();
    s.post("/team/new", MASTER, "{\"team_alias\":\"drafting\",\"models\":[\"model-cheap\"]}");
    s.post(
        "/team/new",
        MASTER,
        "{\"team_alias\":\"coding\",\"models\":[\"model-cheap\",\"model-balanced\"]}");
    draftingAdmin =
        s.key(
            "{\"user_id\":\"d-lead\",\"team_id\":\"drafting\",\"key_type\":\"team_admin\","
                + "\"budgets\":[{\"window\":\"daily\",\"max_budget\":0.01}],\"rpm_limit\":10}");
    codingAdmin =
        s.key("{\"user_id\":\"c-lead\",\"team_id\":\"coding\",\"key_type\":\"team_admin\"}");
    draftingUser =
        s.key("{\"user_id\":\"d-user\",\"team_id\":\"drafting\",\"key_alias\":\"d-user-key\"}");
    codingUser = s.key("{\"user_id\":\"c-user\",\"team_id\":\"coding\"}");
  }

  @AfterAll
  void stop() {
    s.close();
  }

  @Test
  void aTeamAdminCannotReadOrChangeAnotherTeam() {
    assertThat(s.get("/team/info?team_id=drafting", codingAdmin).status()).isEqualTo(403);
    assertThat(s.get("/key/info?key=" + draftingUser, codingAdmin).status()).isEqualTo(403);
    assertThat(s.get("/user/info?user_id=d-user", codingAdmin).status()).isEqualTo(403);
    assertThat(s.get("/user/list?team=drafting", codingAdmin).status()).isEqualTo(403);
    assertThat(s.get("/key/list?team_id=drafting", codingAdmin).status()).isEqualTo(403);
    assertThat(s.get("/spend/logs?team_id=drafting", codingAdmin).status()).isEqualTo(403);
    assertThat(
            s.post("/key/update", codingAdmin, "{\"key\":\"" + draftingUser + "\",\"models\":[]}")
                .status())
        .isEqualTo(403);
    assertThat(s.post("/key/block", codingAdmin, "{\"key\":\"" + draftingUser + "\"}").status())
        .isEqualTo(403);
    assertThat(s.post("/key/delete", codingAdmin, "{\"key_aliases\":[\"d-user-key\"]}").status())
        .isIn(403, 404);
    assertThat(s.post("/key/generate", codingAdmin, "{\"team_id\":\"drafting\"}").status())
        .isEqualTo(403);
    assertThat(
            s.post(
                    "/team/member_add",
                    codingAdmin,
                    "{\"team_id\":\"drafting\",\"member\":{\"user_id\":\"intruder\"}}")
                .status())
        .isEqualTo(403);
    assertThat(
            s.post(
                    "/team/member_delete",
                    codingAdmin,
                    "{\"team_id\":\"drafting\",\"user_id\":\"d-user\"}")
                .status())
        .isEqualTo(403);
    assertThat(s.post("/user/delete", codingAdmin, "{\"user_ids\":[\"d-user\"]}").status())
        .isEqualTo(403);
    // Nothing changed: the drafting user's key still works and is unblocked.
    assertThat(s.chat(draftingUser, "model-cheap").status()).isEqualTo(200);
    assertThat(
            s.get("/team/info?team_id=drafting", MASTER)
                .json()
                .at("/team_info/members_with_roles")
                .findValuesAsText("user_id"))
        .contains("d-user")
        .doesNotContain("intruder");
  }

  @Test
  void aTeamAdminListsOnlyItsOwnTeamsKeysAndUsers() {
    var keys = s.get("/key/list?return_full_object=true", codingAdmin);
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.json().get("keys").findValuesAsText("team_id")).containsOnly("coding");
    var users = s.get("/user/list", codingAdmin);
    assertThat(users.json().get("users").findValuesAsText("team_id")).containsOnly("coding");
    var teams = s.get("/team/list", codingAdmin);
    assertThat(teams.json()).hasSize(1);
    assertThat(teams.json().at("/0/team_id").asText()).isEqualTo("coding");
  }

  @Test
  void aTeamAdminNeverCreatesAKeyBeyondItsOwnRights() {
    // Models outside the admin's (and team's) models.
    assertThat(
            s.post("/key/generate", draftingAdmin, "{\"models\":[\"model-reasoning\"]}").status())
        .isEqualTo(403);
    // A budget above its own daily budget.
    assertThat(
            s.post("/key/generate", draftingAdmin, "{\"max_budget\":1,\"budget_duration\":\"1d\"}")
                .status())
        .isEqualTo(403);
    // Rate limits above its own.
    assertThat(s.post("/key/generate", draftingAdmin, "{\"rpm_limit\":1000}").status())
        .isEqualTo(403);
    // Admin keys.
    assertThat(s.post("/key/generate", draftingAdmin, "{\"key_type\":\"team_admin\"}").status())
        .isEqualTo(403);
    assertThat(s.post("/key/generate", draftingAdmin, "{\"key_type\":\"proxy_admin\"}").status())
        .isEqualTo(403);
    // Admin users.
    assertThat(
            s.post(
                    "/user/new",
                    draftingAdmin,
                    "{\"user_id\":\"sneaky\",\"user_role\":\"proxy_admin\"}")
                .status())
        .isEqualTo(403);
    // Within its rights: the key inherits the admin's limits.
    var ok = s.post("/key/generate", draftingAdmin, "{\"user_id\":\"d-new\"}");
    assertThat(ok.status()).as(ok.text()).isEqualTo(200);
    assertThat(ok.json().get("team_id").asText()).isEqualTo("drafting");
    assertThat(ok.json().get("models").toString()).isEqualTo("[\"model-cheap\"]");
    assertThat(ok.json().get("max_budget").decimalValue()).isEqualByComparingTo("0.01");
    assertThat(ok.json().get("rpm_limit").asLong()).isEqualTo(10);
  }

  @Test
  void aTeamAdminCannotCreateOrChangeTeamsOrModels() {
    assertThat(s.post("/team/new", draftingAdmin, "{\"team_alias\":\"mine\"}").status())
        .isEqualTo(403);
    assertThat(
            s.post("/team/update", draftingAdmin, "{\"team_id\":\"drafting\",\"models\":[]}")
                .status())
        .isEqualTo(403);
    assertThat(s.post("/model/delete", draftingAdmin, "{\"id\":\"x\"}").status()).isEqualTo(403);
    assertThat(s.get("/audit/logs", draftingAdmin).status()).isEqualTo(403);
    assertThat(s.get("/global/spend/report", draftingAdmin).status()).isEqualTo(403);
  }

  @Test
  void aUserKeyReadsOnlyItself() {
    assertThat(s.get("/key/info", codingUser).status()).isEqualTo(200);
    assertThat(s.get("/key/info?key=" + draftingUser, codingUser).status()).isEqualTo(403);
    assertThat(s.get("/user/info", codingUser).json().get("user_id").asText()).isEqualTo("c-user");
    assertThat(s.get("/user/info?user_id=d-user", codingUser).status()).isEqualTo(403);
    assertThat(s.get("/spend/logs?user_id=d-user", codingUser).status()).isEqualTo(403);
    var own = s.get("/key/list", codingUser);
    assertThat(own.json().get("keys")).hasSize(1);
    assertThat(s.get("/team/info?team_id=coding", codingUser).status()).isEqualTo(403);
  }

  @Test
  void aMemberHoldingATeamAdminKeyIsListedAsTheTeamsAdmin() {
    var members =
        s.get("/team/info?team_id=drafting", MASTER).json().at("/team_info/members_with_roles");
    for (var m : members) {
      String expected = m.get("user_id").asText().equals("d-lead") ? "admin" : "user";
      assertThat(m.get("role").asText()).as(m.toString()).isEqualTo(expected);
    }
    assertThat(members.findValuesAsText("user_id")).contains("d-lead", "d-user");
  }
}

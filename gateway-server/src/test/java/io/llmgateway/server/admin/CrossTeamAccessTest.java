package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
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
    // Objects of another team are not found (as if they did not exist, issue 15 finding 13);
    // list filters naming another team are refused whether or not it exists.
    assertThat(s.get("/team/info?team_id=drafting", codingAdmin).status()).isEqualTo(404);
    assertThat(s.get("/key/info?key=" + draftingUser, codingAdmin).status()).isEqualTo(404);
    assertThat(s.get("/user/info?user_id=d-user", codingAdmin).status()).isEqualTo(404);
    assertThat(s.get("/user/list?team=drafting", codingAdmin).status()).isEqualTo(403);
    assertThat(s.get("/key/list?team_id=drafting", codingAdmin).status()).isEqualTo(403);
    assertThat(s.get("/spend/logs?team_id=drafting", codingAdmin).status()).isEqualTo(403);
    assertThat(
            s.post("/key/update", codingAdmin, "{\"key\":\"" + draftingUser + "\",\"models\":[]}")
                .status())
        .isEqualTo(404);
    assertThat(s.post("/key/block", codingAdmin, "{\"key\":\"" + draftingUser + "\"}").status())
        .isEqualTo(404);
    assertThat(s.post("/key/delete", codingAdmin, "{\"key_aliases\":[\"d-user-key\"]}").status())
        .isEqualTo(404);
    assertThat(s.post("/key/generate", codingAdmin, "{\"team_id\":\"drafting\"}").status())
        .isEqualTo(404);
    assertThat(
            s.post(
                    "/team/member_add",
                    codingAdmin,
                    "{\"team_id\":\"drafting\",\"member\":{\"user_id\":\"intruder\"}}")
                .status())
        .isEqualTo(404);
    assertThat(
            s.post(
                    "/team/member_delete",
                    codingAdmin,
                    "{\"team_id\":\"drafting\",\"user_id\":\"d-user\"}")
                .status())
        .isEqualTo(404);
    assertThat(s.post("/user/delete", codingAdmin, "{\"user_ids\":[\"d-user\"]}").status())
        .isEqualTo(404);
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

  /**
   * Issue 15, finding 13: for a key that may not see them, a user, key or team of another team is
   * answered exactly like one that does not exist (404, same code, same message but for the id), on
   * every admin read and write by id, so the answers do not reveal what exists.
   */
  @Test
  void hiddenObjectsAreAnsweredExactlyLikeMissingOnes() {
    String hiddenKey = s.get("/key/info?key=" + draftingUser, MASTER).json().get("key").asText();
    String missingKey = "key_000000000000000000000000";
    String[][] byId = {
      {"GET", "/team/info?team_id=%s", null, "drafting", "no-such-team"},
      {"GET", "/key/info?key=%s", null, hiddenKey, missingKey},
      {"GET", "/key/info?key=%s", null, draftingUser, "sk-" + "n".repeat(43)},
      {"GET", "/user/info?user_id=%s", null, "d-user", "nobody"},
      {"POST", "/user/info", "{\"user_ids\":[\"c-user\",\"%s\"]}", "d-user", "nobody"},
      {"GET", "/spend/logs?api_key=%s", null, hiddenKey, missingKey},
      {"POST", "/key/update", "{\"key\":\"%s\",\"models\":[]}", hiddenKey, missingKey},
      {"POST", "/key/block", "{\"key\":\"%s\"}", hiddenKey, missingKey},
      {"POST", "/key/unblock", "{\"key\":\"%s\"}", hiddenKey, missingKey},
      {"POST", "/key/regenerate", "{\"key\":\"%s\"}", hiddenKey, missingKey},
      {"POST", "/key/%s/regenerate", "{}", hiddenKey, missingKey},
      {"POST", "/key/delete", "{\"keys\":[\"%s\"]}", hiddenKey, missingKey},
      {"POST", "/key/generate", "{\"team_id\":\"%s\"}", "drafting", "no-such-team"},
      {
        "POST",
        "/user/new",
        "{\"user_id\":\"fresh\",\"team_id\":\"%s\"}",
        "drafting",
        "no-such-team"
      },
      {"POST", "/user/update", "{\"user_id\":\"%s\",\"models\":[]}", "d-user", "nobody"},
      {"POST", "/user/delete", "{\"user_ids\":[\"%s\"]}", "d-user", "nobody"},
      {
        "POST",
        "/team/member_add",
        "{\"team_id\":\"%s\",\"member\":{\"user_id\":\"fresh\"}}",
        "drafting",
        "no-such-team"
      },
      {
        "POST",
        "/team/member_delete",
        "{\"team_id\":\"%s\",\"user_id\":\"c-user\"}",
        "drafting",
        "no-such-team"
      },
      {
        "POST",
        "/team/member_delete",
        "{\"team_id\":\"coding\",\"user_id\":\"%s\"}",
        "d-user",
        "nobody"
      },
    };
    for (String caller : new String[] {codingAdmin, codingUser}) {
      for (String[] c : byId) {
        var hidden = send(caller, c, c[3]);
        var missing = send(caller, c, c[4]);
        String what = c[0] + " " + c[1] + " " + hidden.text();
        if (missing.status() == 403 && "route_not_allowed".equals(missing.code())) {
          assertThat(hidden.code()).as(what).isEqualTo("route_not_allowed");
          continue;
        }
        assertThat(hidden.status()).as(what).isEqualTo(404).isEqualTo(missing.status());
        assertThat(hidden.code()).as(what).isEqualTo(missing.code());
        assertThat(hidden.json().at("/error/message").asText().replace(c[3], "ID"))
            .as(what)
            .isEqualTo(missing.json().at("/error/message").asText().replace(c[4], "ID"));
      }
    }
    // Nothing of the drafting team moved.
    assertThat(s.chat(draftingUser, "model-cheap").status()).isEqualTo(200);
    assertThat(s.get("/user/info?user_id=d-user", MASTER).json().at("/user_info/team_id").asText())
        .isEqualTo("drafting");
  }

  @Test
  void takingAHiddenUsersIdNeverNamesItsTeam() {
    for (var a :
        List.of(
            s.post("/key/generate", codingAdmin, "{\"user_id\":\"d-user\"}"),
            s.post("/key/generate", codingAdmin, "{\"user_id\":\"d-user\",\"team_id\":\"coding\"}"),
            s.post("/user/new", codingAdmin, "{\"user_id\":\"d-user\"}"),
            s.post(
                "/team/member_add",
                codingAdmin,
                "{\"team_id\":\"coding\",\"member\":{\"user_id\":\"d-user\"}}"))) {
      assertThat(a.status()).as(a.text()).isBetween(400, 499);
      assertThat(a.text()).doesNotContain("drafting");
    }
    assertThat(s.get("/user/info?user_id=d-user", MASTER).json().at("/user_info/team_id").asText())
        .isEqualTo("drafting");
  }

  private AdminTestServer.Answer send(String caller, String[] c, String id) {
    String path =
        c[2] == null ? c[1].formatted(id) : c[1].contains("%s") ? c[1].formatted(id) : c[1];
    String body = c[2] == null ? null : c[1].contains("%s") ? c[2] : c[2].formatted(id);
    return s.send(c[0], path, caller, body);
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
    // The spend report is open to a team admin, scoped to its team (gateway-admin's API mode,
    // ApiModeSpendAndSyncTest, shows the rows); a user key is still refused.
    assertThat(s.get("/global/spend/report", draftingAdmin).status()).isEqualTo(200);
    assertThat(s.get("/global/spend/report", draftingUser).status()).isEqualTo(403);
  }

  @Test
  void aUserKeyReadsOnlyItself() {
    assertThat(s.get("/key/info", codingUser).status()).isEqualTo(200);
    assertThat(s.get("/key/info?key=" + draftingUser, codingUser).status()).isEqualTo(404);
    assertThat(s.get("/user/info", codingUser).json().get("user_id").asText()).isEqualTo("c-user");
    assertThat(s.get("/user/info?user_id=d-user", codingUser).status()).isEqualTo(404);
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

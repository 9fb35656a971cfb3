package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.AdminTestServer.MASTER;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.identity.Grant;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@code /operator/*} over real HTTP on real PostgreSQL: the master key adds, changes, lists and
 * removes named UI operators (audited, stored where single sign-on reads them); bad roles, teams
 * that do not exist and a team admin key are refused, and nothing is stored for them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminOperatorsApiTest {
  private AdminTestServer s;

  @BeforeAll
  void start() {
    s = AdminTestServer.start();
    s.post("/team/new", MASTER, "{\"team_alias\":\"coding\"}");
  }

  @AfterAll
  void stop() {
    s.close();
  }

  @Test
  void theMasterKeyManagesOperatorsAndEachChangeIsAudited() {
    var created =
        s.post(
            "/operator/new",
            MASTER,
            "{\"operator\":\"Lead@Example.com\",\"role\":\"team_admin\",\"teams\":[\"coding\"]}");
    assertThat(created.status()).as(created.text()).isEqualTo(200);
    assertThat(created.json().get("operator").asText()).isEqualTo("lead@example.com");
    assertThat(created.json().get("teams").get(0).asText()).isEqualTo("coding");
    assertThat(s.server.services().gateway().admin().grantFor("LEAD@example.com"))
        .hasValue(new Grant.TeamAdmin(Set.of("coding")));

    var updated =
        s.post(
            "/operator/update", MASTER, "{\"operator\":\"lead@example.com\",\"role\":\"viewer\"}");
    assertThat(updated.status()).as(updated.text()).isEqualTo(200);
    assertThat(s.get("/operator/list", MASTER).json().get("operators").get(0).get("role").asText())
        .isEqualTo("viewer");
    var audit = s.get("/audit/logs?object_type=operator", MASTER).json().get("data");
    assertThat(audit.get(0).get("action").asText()).isEqualTo("operator.update");
    assertThat(audit.get(1).get("action").asText()).isEqualTo("operator.create");

    var deleted = s.post("/operator/delete", MASTER, "{\"operator\":\"LEAD@example.com\"}");
    assertThat(deleted.status()).as(deleted.text()).isEqualTo(200);
    assertThat(s.get("/operator/list", MASTER).json().get("operators")).isEmpty();
    assertThat(s.server.services().gateway().admin().grantFor("lead@example.com")).isEmpty();
  }

  @Test
  void badRolesUnknownTeamsAndTeamAdminKeysAreRefusedAndNothingIsStored() {
    String teamAdmin =
        s.key("{\"user_id\":\"lead\",\"team_id\":\"coding\",\"key_type\":\"team_admin\"}");

    var member = s.post("/operator/new", MASTER, "{\"operator\":\"a@x\",\"role\":\"member\"}");
    var noTeam =
        s.post(
            "/operator/new",
            MASTER,
            "{\"operator\":\"b@x\",\"role\":\"team_admin\",\"teams\":[\"no-such-team\"]}");
    var teamsForViewer =
        s.post(
            "/operator/new",
            MASTER,
            "{\"operator\":\"c@x\",\"role\":\"viewer\",\"teams\":[\"coding\"]}");
    var byTeamAdmin =
        s.post("/operator/new", teamAdmin, "{\"operator\":\"d@x\",\"role\":\"proxy_admin\"}");
    var missing = s.post("/operator/update", MASTER, "{\"operator\":\"e@x\",\"role\":\"viewer\"}");

    assertThat(member.status()).isEqualTo(400);
    assertThat(member.param()).isEqualTo("role");
    assertThat(noTeam.status()).isEqualTo(400);
    assertThat(noTeam.param()).isEqualTo("teams");
    assertThat(teamsForViewer.status()).isEqualTo(400);
    assertThat(byTeamAdmin.status()).isEqualTo(403);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(s.get("/operator/list", MASTER).json().get("operators")).isEmpty();
  }
}

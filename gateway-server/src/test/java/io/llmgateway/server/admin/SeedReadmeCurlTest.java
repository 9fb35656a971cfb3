package io.llmgateway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.identity.KeyHash;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the seed README's curl commands verbatim (src/test/resources/seed/seed-readme.sh, with
 * LITELLM_URL, LITELLM_MASTER_KEY and USER_API_KEY as the README uses them) with /usr/bin/curl
 * against a gateway started in-process on real PostgreSQL, whose Bedrock deployments point at the
 * wire-format stub, then checks each answer's status and key fields. No jq needed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedReadmeCurlTest {
  record Call(String label, int status, String body, JsonNode json) {}

  private AdminTestServer server;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Map<String, Call> calls = new LinkedHashMap<>();
  private String scriptOutput;

  @BeforeAll
  void runTheReadme(@TempDir Path out) throws Exception {
    server = AdminTestServer.start();
    // Capture every log line of the run (access and spend logs included) for the secret canary.
    LoggerContext logging = (LoggerContext) LoggerFactory.getILoggerFactory();
    Map<String, Level> levels = new LinkedHashMap<>();
    for (String name : List.of("io.llmgateway", "io.llmgateway.access", "io.llmgateway.spend")) {
      levels.put(name, logging.getLogger(name).getLevel());
      logging.getLogger(name).setLevel(Level.DEBUG);
    }
    logs.start();
    logging.getLogger(Logger.ROOT_LOGGER_NAME).addAppender(logs);
    try {
      run(out);
    } finally {
      logging.getLogger(Logger.ROOT_LOGGER_NAME).detachAppender(logs);
      levels.forEach((name, level) -> logging.getLogger(name).setLevel(level));
    }
  }

  private void run(Path out) throws Exception {
    SeedScript.Run run = SeedScript.run(server.url(), AdminTestServer.MASTER, out);
    scriptOutput = run.output();
    run.calls()
        .forEach((label, c) -> calls.put(label, new Call(label, c.status(), c.body(), c.json())));
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Call call(String label) {
    assertThat(calls).as(scriptOutput).containsKey(label);
    return calls.get(label);
  }

  @Test
  void everyReadmeCommandRan() {
    assertThat(calls).hasSize(19);
  }

  @Test
  void step6AddsTheThreeNovaModelsWithUsCrossRegionProfiles() {
    for (String[] m :
        new String[][] {
          {"model-cheap", "us.amazon.nova-micro-v1:0"},
          {"model-balanced", "us.amazon.nova-lite-v1:0"},
          {"model-reasoning", "us.amazon.nova-pro-v1:0"}
        }) {
      Call c = call("6 model/new " + m[0]);
      assertThat(c.status()).as(c.body()).isEqualTo(200);
      assertThat(c.json().get("model_id").asText()).isNotBlank();
      assertThat(c.json().get("model_name").asText()).isEqualTo(m[0]);
      assertThat(c.json().at("/litellm_params/model").asText())
          .isEqualTo("bedrock/converse/" + m[1]);
      assertThat(c.json().at("/litellm_params/aws_region_name").asText()).isEqualTo("us-east-1");
      assertThat(c.body()).doesNotContain("aws_secret", "api_key");
    }
  }

  @Test
  void step7CreatesTeamsWhoseAliasIsTheirIdWithExactDailyCaps() {
    Map<String, String> caps = Map.of("drafting", "0.017", "coding", "0.033", "architect", "0.067");
    caps.forEach(
        (team, cap) -> {
          Call c = call("7 team/new " + team);
          assertThat(c.status()).as(c.body()).isEqualTo(200);
          assertThat(c.json().get("team_id").asText()).isEqualTo(team);
          assertThat(c.json().get("team_alias").asText()).isEqualTo(team);
          // The exact decimal text, never a binary-float rendering like 0.017000000000000001.
          assertThat(c.body()).contains("\"max_budget\":" + cap + ",");
          assertThat(c.json().get("budget_duration").asText()).isEqualTo("1d");
        });
  }

  @Test
  void step8GeneratesAKeyInTheDraftingTeamShownOnlyOnce() {
    Call c = call("8 key/generate");
    assertThat(c.status()).as(c.body()).isEqualTo(200);
    String key = c.json().get("key").asText();
    assertThat(key).startsWith("sk-");
    assertThat(c.json().get("token").asText()).isNotEqualTo(key).isNotBlank();
    assertThat(c.json().get("team_id").asText()).isEqualTo("drafting");
    assertThat(c.json().get("user_id").asText()).isEqualTo("user@example.com");
    assertThat(c.json().get("key_alias").asText()).isEqualTo("User Name");
    for (Call other : calls.values()) {
      if (other != c) {
        assertThat(other.body()).as(other.label()).doesNotContain(key);
      }
    }
  }

  @Test
  void theUserKeyChatsWithModelCheap() {
    Call c = call("api chat/completions user key");
    assertThat(c.status()).as(c.body()).isEqualTo(200);
    assertThat(c.json().at("/choices/0/message/content").asText()).contains("Hello!");
    assertThat(c.json().at("/usage/total_tokens").asInt()).isPositive();
  }

  @Test
  void adminListsModelsKeysAndTeams() {
    Call models = call("admin models");
    assertThat(models.status()).isEqualTo(200);
    assertThat(models.json().get("object").asText()).isEqualTo("list");
    assertThat(models.json().findValuesAsText("id"))
        .contains("model-cheap", "model-balanced", "model-reasoning");

    Call keys = call("admin key/list");
    assertThat(keys.status()).isEqualTo(200);
    assertThat(keys.json().get("keys")).hasSize(1);
    assertThat(keys.json().get("total_count").asInt()).isEqualTo(1);

    Call teams = call("admin team/list");
    assertThat(teams.status()).isEqualTo(200);
    assertThat(teams.json().findValuesAsText("team_alias"))
        .containsExactlyInAnyOrder("drafting", "coding", "architect");
  }

  @Test
  void userInfoByJsonBodyShowsTheUsersSpendAndKeys() {
    Call c = call("admin user/info");
    assertThat(c.status()).as(c.body()).isEqualTo(200);
    assertThat(c.json().get("user_id").asText()).isEqualTo("user@example.com");
    assertThat(c.json().at("/user_info/spend").decimalValue()).isPositive();
    assertThat(c.json().at("/user_info/spend_by_window/daily").decimalValue()).isPositive();
    assertThat(c.json().get("keys")).hasSize(1);
    assertThat(c.json().at("/teams/0/team_id").asText()).isEqualTo("drafting");
  }

  @Test
  void healthWithTheMasterKeyProbesEveryDeployment() {
    Call c = call("admin health");
    assertThat(c.status()).as(c.body()).isEqualTo(200);
    assertThat(c.json().get("healthy_count").asInt() + c.json().get("unhealthy_count").asInt())
        .isEqualTo(3);
  }

  @Test
  void deletingThePlaceholderIdsIsACleanNotFound() {
    for (String label : List.of("admin model/delete placeholder", "admin key/delete placeholder")) {
      Call c = call(label);
      assertThat(c.status()).as(c.body()).isEqualTo(404);
      assertThat(c.json().at("/error/type").asText()).isEqualTo("not_found_error");
    }
  }

  @Test
  void theTroubleshootingChatWorksWithTheMasterKey() {
    Call c = call("troubleshooting chat/completions master key");
    assertThat(c.status()).as(c.body()).isEqualTo(200);
    assertThat(c.json().at("/choices/0/message/content").asText()).contains("test");
  }

  @Test
  void realDeletesWorkAndADeletedKeyIsRefused() {
    assertThat(call("admin model/delete real id").status()).isEqualTo(200);
    Call key = call("admin key/delete real key");
    assertThat(key.status()).as(key.body()).isEqualTo(200);
    assertThat(key.json().get("deleted_keys")).hasSize(1);
    Call chat = call("chat with the deleted key");
    assertThat(chat.status()).isEqualTo(401);
  }

  @Test
  void noLogLineAndNoOtherAnswerHoldsTheMasterKeyTheUserKeyOrItsHash() {
    String key = call("8 key/generate").json().get("key").asText();
    List<String> secrets = List.of(AdminTestServer.MASTER, key, KeyHash.of(key).hex());
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      String line =
          e.getFormattedMessage()
              + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      for (String secret : secrets) {
        assertThat(line).doesNotContain(secret);
      }
    }
    for (Call c : calls.values()) {
      assertThat(c.body()).doesNotContain(AdminTestServer.MASTER, KeyHash.of(key).hex());
    }
  }
}

package io.llmgateway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.server.boot.StartupConfigSync;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's curl sequence against a server configured like {@code Main}: config/models.yaml and
 * config/tiers.yaml applied at startup. Step 6 finds the configured deployments instead of adding
 * copies, step 7 answers 200 with the existing tier teams (their models and daily budget agree with
 * the request) and a note that the tier's budgets apply per member, and step 8 onward work against
 * the tier team, whose per-member daily and monthly budgets then show in {@code /user/info}. A
 * {@code /team/new} that disagrees with the tier stays 409 and names every difference.
 */
class SeedOnConfiguredServerTest {

  @Test
  void theSeedRunsAgainstAServerThatAppliedTheModelsAndTiersFiles(@TempDir Path out)
      throws Exception {
    try (AdminTestServer s = AdminTestServer.start()) {
      StartupConfigSync.apply(
          s.server.gateway().admin(),
          Path.of("..", "config", "models.yaml"),
          Path.of("..", "config", "tiers.yaml"));

      SeedScript.Run run = SeedScript.run(s.url(), AdminTestServer.MASTER, out);

      var model = run.call("6 model/new model-cheap");
      assertThat(model.status()).as(model.body()).isEqualTo(200);
      assertThat(model.json().get("model_id").asText()).isEqualTo("nova-micro-us-east-1");
      assertThat(model.json().at("/model_info/source").asText()).isEqualTo("config");
      // No API copies were added (the script later deletes model-cheap's deployment by its id).
      assertThat(
              s.get("/model/info", AdminTestServer.MASTER)
                  .json()
                  .get("data")
                  .findValuesAsText("source"))
          .containsOnly("config")
          // The seed script's models less the one it deleted, plus model-embed, two Claude models
          // and Nova 2 Lite.
          .hasSize(6);

      for (String tier : List.of("drafting", "coding", "architect")) {
        var team = run.call("7 team/new " + tier);
        assertThat(team.status()).as(team.body()).isEqualTo(200);
        assertThat(team.json().get("team_id").asText()).isEqualTo(tier);
        assertThat(team.json().get("team_alias").asText()).isEqualTo(tier);
        assertThat(team.json().get("note").asText())
            .contains("tier '" + tier + "'")
            .contains("per member");
        // Every field of that answer, the note included, is in the documented /team/new answer.
        var documented = documentedFields(s, "/team/new", "post");
        team.json().fieldNames().forEachRemaining(f -> assertThat(documented).as(f).contains(f));
      }
      assertThat(run.call("7 team/new drafting").json().get("note").asText())
          .contains("$0.017 daily")
          .contains("$0.50 monthly");
      // Nothing was changed: the tier team still has no team-wide budget.
      assertThat(
              s.get("/team/info?team_id=drafting", AdminTestServer.MASTER)
                  .json()
                  .at("/team_info/max_budget")
                  .isNull())
          .isTrue();

      var key = run.call("8 key/generate");
      assertThat(key.status()).as(key.body()).isEqualTo(200);
      assertThat(key.json().get("team_id").asText()).isEqualTo("drafting");
      assertThat(run.call("api chat/completions user key").status()).isEqualTo(200);

      var info = run.call("admin user/info");
      assertThat(info.status()).isEqualTo(200);
      assertThat(info.json().at("/user_info/budgets").findValuesAsText("window"))
          .containsExactly("daily", "monthly");
      assertThat(info.body()).contains("\"max_budget\":0.017,").contains("\"max_budget\":0.5,");
      assertThat(info.json().at("/user_info/budgets/0/spend").decimalValue()).isPositive();
      assertThat(info.json().at("/user_info/budgets/0/remaining").decimalValue())
          .isLessThan(new java.math.BigDecimal("0.017"));
    }
  }

  @Test
  void aTeamNewThatDisagreesWithTheTierIsRefusedNamingEveryDifference() throws Exception {
    try (AdminTestServer s = AdminTestServer.start()) {
      StartupConfigSync.apply(
          s.server.gateway().admin(),
          Path.of("..", "config", "models.yaml"),
          Path.of("..", "config", "tiers.yaml"));
      var a =
          s.post(
              "/team/new",
              AdminTestServer.MASTER,
              """
              {"team_alias": "drafting", "models": ["model-balanced"],
               "max_budget": 0.02, "budget_duration": "1d", "rpm_limit": 5}""");
      assertThat(a.status()).as(a.text()).isEqualTo(409);
      assertThat(a.json().at("/error/message").asText())
          .contains("Team with alias 'drafting' already exists")
          .contains("models [model-balanced] (tier: [model-cheap])")
          .contains("daily budget $0.02 (tier: $0.017 per member)")
          .contains("rpm_limit");
      // A monthly budget is compared with the tier's monthly one, not the daily one.
      var monthly =
          s.post(
              "/team/new",
              AdminTestServer.MASTER,
              """
              {"team_alias": "coding", "models": ["model-balanced"],
               "max_budget": 0.033, "budget_duration": "30d"}""");
      assertThat(monthly.status()).as(monthly.text()).isEqualTo(409);
    }
  }

  /** The properties of an operation's documented 200 schema in /openapi.json ($ref, allOf). */
  private static java.util.Set<String> documentedFields(
      AdminTestServer s, String path, String method) throws Exception {
    com.fasterxml.jackson.databind.JsonNode doc = s.get("/openapi.json", null).json();
    com.fasterxml.jackson.databind.JsonNode schema =
        doc.at("/paths")
            .get(path)
            .get(method)
            .at("/responses/200/content/application~1json/schema");
    java.util.Set<String> out = new java.util.TreeSet<>();
    collect(doc, schema, out);
    return out;
  }

  private static void collect(
      com.fasterxml.jackson.databind.JsonNode doc,
      com.fasterxml.jackson.databind.JsonNode schema,
      java.util.Set<String> out) {
    if (schema.has("$ref")) {
      collect(doc, doc.at(schema.get("$ref").asText().substring(1)), out);
    }
    schema.path("allOf").forEach(s -> collect(doc, s, out));
    schema.path("properties").fieldNames().forEachRemaining(out::add);
  }
}

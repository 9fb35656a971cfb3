package io.llmgateway.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.server.boot.StartupConfigSync;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's curl sequence against a server configured like {@code Main}: config/models.yaml and
 * config/tiers.yaml applied at startup. Step 6 finds the configured deployments instead of adding
 * copies, step 7 answers 409 (the tier teams exist), and step 8 onward work against the tier team,
 * whose per-member daily and monthly budgets then show in {@code /user/info}.
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
          .hasSize(2);

      var team = run.call("7 team/new drafting");
      assertThat(team.status()).isEqualTo(409);
      assertThat(team.json().at("/error/message").asText())
          .contains("Team with alias 'drafting' already exists");

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
}

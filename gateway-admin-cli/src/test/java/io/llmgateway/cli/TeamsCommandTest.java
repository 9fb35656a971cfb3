package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.money.Money;
import java.nio.file.Files;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TeamsCommandTest extends CommandTest {

  // Teams name catalog models, so the catalog comes first (as the server's startup sync does).
  @BeforeEach
  void models() {
    ok("models", "sync", "--file", "config/models.yaml");
  }

  @Test
  void aTierNamingAModelTheCatalogDoesNotHaveIsRefusedAndNotSaved() throws Exception {
    cli.write(
        "typo.yaml",
        "tiers:\n  gold:\n    budget_daily: 1\n    budget_monthly: 20\n"
            + "    allowed_models: [model-typo]\n");

    var r = fails(ExitCode.VALIDATION, "teams", "sync", "--file", "typo.yaml");

    assertThat(r.err())
        .contains("tier 'gold'")
        .contains("unknown model 'model-typo'")
        .contains("model-balanced, model-cheap, model-claude-haiku")
        .contains("model-embed, model-nova2-lite, model-reasoning");
    assertThat(cli.stores().teams().findById("gold")).isEmpty();

    ok("teams", "sync", "--file", "config/tiers.yaml");
    Files.writeString(
        cli.workDir.resolve("config/tiers.yaml"),
        Files.readString(cli.workDir.resolve("config/tiers.yaml"))
            .replace("      - model-balanced", "      - model-balancd"));
    assertThat(fails(ExitCode.VALIDATION, "teams", "sync").err())
        .contains("tier 'coding'")
        .contains("'model-balancd'");
    assertThat(cli.stores().teams().findById("coding").orElseThrow().models())
        .containsExactly("model-balanced");
  }

  @Test
  void syncCreatesOneTeamPerTierWithModelsAndPerMemberBudgets() {
    var r = ok("teams", "sync", "--file", "config/tiers.yaml");

    assertThat(r.out())
        .contains("created   drafting")
        .contains("4 to create, 0 to update, 0 unchanged"); // + retrieval
    Team drafting = cli.stores().teams().findById("drafting").orElseThrow();
    assertThat(drafting.alias()).isEqualTo("drafting");
    assertThat(drafting.tier()).contains("drafting");
    assertThat(drafting.models()).containsExactly("model-cheap");
    assertThat(drafting.memberBudgets())
        .containsExactly(
            BudgetLimit.daily(Money.ofUsd("0.017")), BudgetLimit.monthly(Money.ofUsd("0.50")));
    assertThat(cli.stores().teams().findById("architect").orElseThrow().memberBudgets())
        .containsExactly(
            BudgetLimit.daily(Money.ofUsd("0.067")), BudgetLimit.monthly(Money.ofUsd("2.00")));
  }

  @Test
  void syncIsIdempotent() {
    ok("teams", "sync");
    var before = cli.stores().teams().list(PageRequest.first(10)).items();

    var again = ok("teams", "sync");

    assertThat(again.out()).contains("0 to create, 0 to update, 4 unchanged");
    assertThat(cli.stores().teams().list(PageRequest.first(10)).items()).isEqualTo(before);
  }

  @Test
  void dryRunPrintsThePlanAndChangesNothing() throws Exception {
    var r = ok("teams", "sync", "--dry-run");

    assertThat(r.out())
        .contains(
            "create    drafting             models model-cheap; per member $0.017/day, $0.5/month")
        .contains("dry run, nothing changed: 4 to create");
    assertThat(cli.stores().teams().list(PageRequest.first(10)).total()).isZero();

    ok("teams", "sync");
    Files.writeString(
        cli.workDir.resolve("config/tiers.yaml"),
        Files.readString(cli.workDir.resolve("config/tiers.yaml"))
            .replace("budget_daily: 0.017", "budget_daily: 0.02"));
    var plan = ok("teams", "sync", "--dry-run");
    assertThat(plan.out())
        .contains("update    drafting             daily budget per member $0.017 -> $0.02")
        .contains("unchanged coding ")
        .contains("0 to create, 1 to update, 3 unchanged");
    assertThat(
            cli.stores()
                .teams()
                .findById("drafting")
                .orElseThrow()
                .memberBudgets()
                .getFirst()
                .limit())
        .isEqualTo(Money.ofUsd("0.017"));
  }

  @Test
  void syncUpdatesAChangedTierAndKeepsWhatTheFileDoesNotSay() throws Exception {
    ok("teams", "sync");
    Team before = cli.stores().teams().findById("coding").orElseThrow();
    Files.writeString(
        cli.workDir.resolve("config/tiers.yaml"),
        Files.readString(cli.workDir.resolve("config/tiers.yaml"))
            .replace("      - model-balanced", "      - model-balanced\n      - model-cheap"));

    var r = ok("teams", "sync");

    assertThat(r.out())
        .contains(
            "updated   coding               models [model-balanced] -> [model-balanced, model-cheap]");
    Team after = cli.stores().teams().findById("coding").orElseThrow();
    assertThat(after.models()).containsExactly("model-balanced", "model-cheap");
    assertThat(after.createdAt()).isEqualTo(before.createdAt());
    assertThat(
            cli.stores()
                .auditLog()
                .list(java.util.Optional.of("team"), PageRequest.first(10))
                .items())
        .extracting(e -> e.action())
        .contains("team.update");
  }

  @Test
  void readsTheServersTiersFileWhenNoFileIsGiven() throws Exception {
    cli.write(
        "other-tiers.yaml",
        "tiers:\n  gold:\n    budget_daily: 1\n    budget_monthly: 20\n    allowed_models: [model-reasoning]\n");
    cli.env.put("GATEWAY_TIERS_FILE", "other-tiers.yaml");

    assertThat(ok("teams", "sync").out()).contains("created   gold");
    assertThat(ok("teams", "sync", "--file", "config/tiers.yaml").out())
        .contains("4 to create"); // + retrieval
  }

  @Test
  void aBrokenTiersFileIsAValidationErrorNamingTheFile() throws Exception {
    cli.write(
        "bad.yaml",
        "tiers:\n  gold:\n    budget_daily: lots\n    budget_monthly: 1\n    allowed_models: [m]\n");

    var r = fails(ExitCode.VALIDATION, "teams", "sync", "--file", "bad.yaml");

    assertThat(r.err()).contains("bad.yaml").contains("tier 'gold'").contains("budget_daily");
    assertThat(fails(ExitCode.VALIDATION, "teams", "sync", "--file", "missing.yaml").err())
        .contains("file not found");
  }

  @Test
  void listAndShowPrintTheTeams() {
    ok("teams", "sync");

    var list = ok("teams", "list");
    var show = ok("teams", "show", "coding");
    var json = ok("teams", "list", "--format", "json");

    assertThat(list.out().lines()).hasSize(5); // header + four tiers (retrieval)
    assertThat(list.out())
        .contains("architect")
        .contains("model-reasoning")
        .contains("$0.067")
        .contains("$2");
    assertThat(show.out())
        .contains("models:           model-balanced")
        .contains("member daily:     $0.033")
        .contains("members:          0");
    assertThat(json.out()).contains("\"team_id\" : \"drafting\"");
    assertThat(fails(ExitCode.VALIDATION, "teams", "show", "gold").err())
        .contains("no team 'gold'");
  }
}

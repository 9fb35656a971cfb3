package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.core.admin.TeamPatch;
import io.llmgateway.core.identity.Team;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway-admin teams update TEAM}: a team's (a tier's) budget alerts and temporary
 * increase; its models and budgets come from tiers.yaml ({@code teams sync}).
 */
@Command(
    name = "update",
    description = "Sets a team's alert thresholds, soft budget or temporary budget increase.")
final class TeamAlerts extends BaseCommand {
  @Parameters(paramLabel = "TEAM", description = "Team id or alias.")
  String team;

  @Mixin AlertOptions alerting;

  @Override
  boolean worksOverApi() {
    return true;
  }

  @Override
  boolean changesData() {
    return true;
  }

  @Override
  int execute() {
    Team t =
        admin()
            .team(team.trim())
            .orElseThrow(
                () ->
                    CliException.validation(
                        "no team '" + team + "': see 'gateway-admin teams list'"));
    Optional<io.llmgateway.core.budget.BudgetIncrease> increase = alerting.increase();
    if (increase.isEmpty() && alerting.change("team", t.id()).isEmpty()) {
      throw CliException.usage(
          "nothing to change: give --alert-thresholds, --soft-budget or --temp-budget-increase");
    }
    if (increase.isPresent()) {
      admin().updateTeam(t.id(), TeamPatch.builder().budgetIncrease(increase).build());
    }
    alerting.apply(admin(), "team", t.id());
    out().println("updated team " + t.id());
    return ok();
  }
}

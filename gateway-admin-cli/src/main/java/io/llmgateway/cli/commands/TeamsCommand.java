package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.admin.Admin;
import io.llmgateway.cli.output.Format;
import io.llmgateway.cli.output.Renderer;
import io.llmgateway.cli.output.Table;
import io.llmgateway.cli.output.Usd;
import io.llmgateway.config.ConfigFiles;
import io.llmgateway.config.ConfigSync;
import io.llmgateway.config.Tier;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.UserQuery;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gateway-admin teams list|show|sync}: the tier teams. */
@Command(
    name = "teams",
    description = "Tier teams: list, show, sync from tiers.yaml.",
    subcommands = {
      TeamsCommand.ListTeams.class,
      TeamsCommand.Show.class,
      TeamsCommand.Sync.class,
      TeamAlerts.class
    })
public final class TeamsCommand {

  @Command(name = "list", description = "Lists teams with their models and per-member budgets.")
  static final class ListTeams extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json.")
    Format format;

    @Override
    int execute() {
      Table t =
          new Table(
              "team_id",
              "alias",
              "tier",
              "models",
              "member_daily_usd",
              "member_monthly_usd",
              "blocked");
      int page = 1;
      while (true) {
        var p = admin().teams(new PageRequest(page, PageRequest.MAX_SIZE));
        for (Team team : p.items()) {
          t.row(
              team.id(),
              team.alias(),
              Texts.orNull(team.tier()),
              team.models(),
              Usd.of(Texts.limit(team.memberBudgets(), BudgetWindow.DAILY)),
              Usd.of(Texts.limit(team.memberBudgets(), BudgetWindow.MONTHLY)),
              team.blocked());
        }
        if (page >= p.totalPages()) {
          break;
        }
        page++;
      }
      Renderer.print(t, format, out());
      return ok();
    }
  }

  @Command(name = "show", description = "Shows one team (by id or alias).")
  static final class Show extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Parameters(paramLabel = "TEAM", description = "Team id or alias, e.g. drafting.")
    String team;

    @Override
    int execute() {
      Team t =
          admin()
              .team(team)
              .orElseThrow(
                  () ->
                      CliException.validation(
                          "no team '" + team + "': see 'gateway-admin teams list'"));
      long members =
          admin().users(UserQuery.builder(PageRequest.first(1)).team(t.id()).build()).total();
      var o = out();
      o.println("team_id:          " + t.id());
      o.println("alias:            " + t.alias());
      o.println("tier:             " + Texts.orDash(t.tier()));
      o.println("name:             " + t.metadata().getOrDefault("display_name", "-"));
      o.println(
          "models:           " + (t.models().isEmpty() ? "(all)" : String.join(", ", t.models())));
      o.println("member daily:     " + Texts.limitText(t.memberBudgets(), BudgetWindow.DAILY));
      o.println("member monthly:   " + Texts.limitText(t.memberBudgets(), BudgetWindow.MONTHLY));
      o.println("team daily:       " + Texts.limitText(t.teamBudgets(), BudgetWindow.DAILY));
      o.println("team monthly:     " + Texts.limitText(t.teamBudgets(), BudgetWindow.MONTHLY));
      o.println("rpm:              " + Texts.rpm(t.rateLimits()));
      o.println("blocked:          " + t.blocked());
      o.println("members:          " + members);
      o.println("created:          " + t.createdAt());
      o.println("updated:          " + t.updatedAt());
      return ok();
    }
  }

  @Command(
      name = "sync",
      description = {
        "Creates or updates one team per tier of tiers.yaml (models, per-member daily and monthly"
            + " budgets). Idempotent: a second run reports every team unchanged."
      })
  static final class Sync extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Override
    boolean changesData() {
      return true;
    }

    @Option(
        names = {"-f", "--file"},
        description =
            "Tiers file (seed format). Default: $GATEWAY_TIERS_FILE, else config/tiers.yaml.")
    Path file;

    @Option(
        names = "--dry-run",
        description = "Print the plan (create / update / unchanged); change nothing.")
    boolean dryRun;

    @Override
    int execute() {
      List<Tier> tiers =
          ConfigFiles.tiers(configFile(file, "GATEWAY_TIERS_FILE", "config/tiers.yaml"));
      Admin admin = admin();
      admin.requireProxyAdmin("'gateway-admin teams sync'");
      Map<String, Optional<Team>> before = new LinkedHashMap<>();
      tiers.forEach(t -> before.put(t.name(), admin.team(t.name())));
      List<ConfigSync.Change> plan = ConfigSync.syncTiers(admin, tiers, dryRun);
      SyncOutput.print(out(), plan, dryRun, c -> differences(before.get(c.id()), tiers, c));
      return ok();
    }

    /** What an update changes, field by field (the plan itself says only what the tier wants). */
    private static String differences(
        Optional<Team> current, List<Tier> tiers, ConfigSync.Change c) {
      if (c.action() != ConfigSync.Action.UPDATE || current.isEmpty()) {
        return c.detail();
      }
      Team t = current.get();
      Tier tier = tiers.stream().filter(x -> x.name().equals(c.id())).findFirst().orElseThrow();
      List<String> d = new ArrayList<>();
      if (!t.models().equals(tier.allowedModels())) {
        d.add("models " + t.models() + " -> " + tier.allowedModels());
      }
      for (BudgetWindow w : BudgetWindow.values()) {
        String have = Texts.limitText(t.memberBudgets(), w);
        String want = Texts.limitText(tier.memberBudgets(), w);
        if (!have.equals(want)) {
          d.add(w.label() + " budget per member " + have + " -> " + want);
        }
      }
      if (!t.tier().equals(Optional.of(tier.name()))) {
        d.add("tier " + t.tier().orElse("none") + " -> " + tier.name());
      }
      if (!tier.displayName().equals(t.metadata().get("display_name"))) {
        d.add("name -> " + tier.displayName());
      }
      return d.isEmpty() ? c.detail() : String.join("; ", d);
    }
  }
}

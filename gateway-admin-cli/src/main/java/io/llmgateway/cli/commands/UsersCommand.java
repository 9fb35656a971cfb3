package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.output.Format;
import io.llmgateway.cli.output.Renderer;
import io.llmgateway.cli.output.Table;
import io.llmgateway.cli.output.Usd;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code gateway-admin users list|show|onboard}. */
@Command(
    name = "users",
    description = "Users: list, show, create, update, bulk onboard from a CSV.",
    subcommands = {
      UsersCommand.ListUsers.class,
      UsersCommand.Show.class,
      UserEdit.Create.class,
      UserEdit.Update.class,
      OnboardCommand.class
    })
public final class UsersCommand {

  @Command(name = "list", description = "Lists users (all, or one team's).")
  static final class ListUsers extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's members.")
    String team;

    @Option(
        names = "--limit",
        defaultValue = "1000",
        description = "At most this many (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json.")
    Format format;

    @Override
    int execute() {
      Optional<String> teamId = teamIdOption(team);
      Table t =
          new Table(
              "user_id",
              "alias",
              "team",
              "daily_budget_usd",
              "monthly_budget_usd",
              "rpm",
              "created");
      Paging.each(
          limit,
          page -> admin().users(UserQuery.builder(page).team(teamId).build()),
          u ->
              t.row(
                  u.id(),
                  Texts.orNull(u.alias()),
                  Texts.orNull(u.teamId()),
                  Usd.of(Texts.limit(u.budgets(), BudgetWindow.DAILY)),
                  Usd.of(Texts.limit(u.budgets(), BudgetWindow.MONTHLY)),
                  Texts.rpmOrNull(u.rateLimits()),
                  u.createdAt()));
      Renderer.print(t, format, out());
      return ok();
    }
  }

  @Command(name = "show", description = "Shows one user, their effective budgets and keys.")
  static final class Show extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Parameters(paramLabel = "USER", description = "User id (the email).")
    String userId;

    @Override
    int execute() {
      User u =
          admin()
              .user(userId.trim().toLowerCase(java.util.Locale.ROOT))
              .or(() -> admin().user(userId))
              .orElseThrow(
                  () ->
                      CliException.validation(
                          "no user '" + userId + "': see 'gateway-admin users list'"));
      var team = u.teamId().flatMap(id -> admin().team(id));
      var o = out();
      o.println("user_id:          " + u.id());
      o.println("email:            " + Texts.orDash(u.email()));
      o.println("alias:            " + Texts.orDash(u.alias()));
      o.println("team:             " + Texts.orDash(u.teamId()));
      o.println("role:             " + u.role().name().toLowerCase(java.util.Locale.ROOT));
      for (BudgetWindow w : BudgetWindow.values()) {
        String own = Texts.limitText(u.budgets(), w);
        String tier = team.map(t -> Texts.limitText(t.memberBudgets(), w)).orElse("-");
        o.printf(
            "%-18s%s%n",
            w.label() + " budget:",
            !own.equals("-") ? own + " (user override; tier " + tier + ")" : tier + " (tier)");
      }
      o.println("rpm:              " + Texts.rpm(u.rateLimits()));
      o.println(
          "models:           "
              + team.map(t -> t.models().isEmpty() ? "(all)" : String.join(", ", t.models()))
                  .orElse("(all)"));
      o.println("created:          " + u.createdAt());
      var keys = admin().keys(KeyQuery.builder(PageRequest.first(100)).user(u.id()).build());
      o.println("keys:             " + keys.total());
      for (VirtualKey k : keys.items()) {
        o.println(
            "  "
                + k.id()
                + "  "
                + k.displayPrefix()
                + "  "
                + Texts.orDash(k.alias())
                + "  "
                + k.statusAt(environment().clock().instant())
                    .name()
                    .toLowerCase(java.util.Locale.ROOT));
      }
      return ok();
    }
  }
}

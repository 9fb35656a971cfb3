package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.core.admin.UserPatch;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway-admin users create|update}: one user's settings, in both modes (the admin API
 * applies a team admin's limits). Validation is the core's, so a bad field is refused the same way
 * as by the admin API and the UI.
 */
final class UserEdit {
  private UserEdit() {}

  /** The settings both commands take; each is left as it is when not given. */
  abstract static class Settings extends BaseCommand {
    @Parameters(paramLabel = "USER", description = "User id (usually the email).")
    String userId;

    @Option(names = "--email", paramLabel = "EMAIL", description = "The user's email.")
    String email;

    @Option(names = "--alias", paramLabel = "NAME", description = "Display name.")
    String alias;

    @Option(names = "--team", paramLabel = "TEAM", description = "Team id or alias (the tier).")
    String team;

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        description = "internal_user (default), internal_user_viewer or proxy_admin.")
    UserRole role;

    @Option(
        names = "--models",
        split = ",",
        paramLabel = "MODEL",
        description = "Models the user may call, comma-separated, within the team's.")
    List<String> models;

    @Mixin LimitOptions limits;

    @Mixin AlertOptions alerting;

    @Override
    boolean worksOverApi() {
      return true;
    }

    @Override
    boolean changesData() {
      return true;
    }

    void report(String verb, User u) {
      out()
          .println(
              verb
                  + " user "
                  + u.id()
                  + " (team "
                  + Texts.orDash(u.teamId())
                  + ", daily "
                  + Texts.limitText(u.budgets(), BudgetWindow.DAILY)
                  + ", monthly "
                  + Texts.limitText(u.budgets(), BudgetWindow.MONTHLY)
                  + ", rpm "
                  + Texts.rpm(u.rateLimits())
                  + ")");
    }
  }

  /** A temporary increase raises an existing budget: given on create, it is a usage error. */
  static void refuseIncreaseOnCreate(AlertOptions alerting) {
    if (alerting.increase != null || alerting.expiry != null) {
      throw CliException.usage("--temp-budget-increase is for 'update' (it raises a budget)");
    }
  }

  @Command(name = "create", description = "Creates a user (no key: see 'keys rotate').")
  static final class Create extends Settings {
    @Override
    int execute() {
      UserSpec.Builder b =
          UserSpec.builder()
              .userId(Optional.of(userId.trim()))
              .email(Optional.ofNullable(email))
              .alias(Optional.ofNullable(alias))
              .teamId(teamIdOption(team))
              .models(models == null ? List.of() : models)
              .budgets(limits.budgets(List.of()))
              .rateLimits(limits.rates(RateLimits.NONE))
              .metadata(limits.metadata().orElse(Map.of()));
      if (role != null) {
        b.role(role);
      }
      refuseIncreaseOnCreate(alerting);
      User created = admin().createUser(b.build());
      alerting.apply(admin(), "user", created.id());
      report("created", created);
      return ok();
    }
  }

  @Command(name = "update", description = "Changes the given settings of a user; others stay.")
  static final class Update extends Settings {
    @Override
    int execute() {
      User current =
          admin()
              .user(userId.trim())
              .orElseThrow(
                  () ->
                      CliException.validation(
                          "no user '" + userId + "': see 'gateway-admin users list'"));
      UserPatch.Builder p = UserPatch.builder();
      Optional.ofNullable(email).ifPresent(p::email);
      Optional.ofNullable(alias).ifPresent(p::alias);
      teamIdOption(team).ifPresent(p::teamId);
      Optional.ofNullable(role).ifPresent(p::role);
      Optional.ofNullable(models).ifPresent(p::models);
      if (limits.budgetsGiven()) {
        p.budgets(limits.budgets(current.budgets()));
      }
      if (limits.ratesGiven()) {
        p.rateLimits(limits.rates(current.rateLimits()));
      }
      limits.metadata().ifPresent(p::metadata);
      alerting.increase().ifPresent(i -> p.budgetIncrease(java.util.Optional.of(i)));
      alerting.change("user", current.id()); // checks the options before anything changes
      User updated = admin().updateUser(current.id(), p.build());
      alerting.apply(admin(), "user", updated.id());
      report("updated", updated);
      return ok();
    }
  }
}

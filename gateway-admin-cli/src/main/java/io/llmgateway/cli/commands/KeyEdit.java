package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.onboard.KeyFile;
import io.llmgateway.cli.onboard.OnboardingRow;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeyPatch;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.VirtualKey;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway-admin keys create|update}: one key's settings, in both modes. The new secret of
 * {@code create} goes only to {@code --out}, as with onboarding and rotation.
 */
final class KeyEdit {
  private KeyEdit() {}

  /** The settings both commands take; each is left as it is when not given. */
  abstract static class Settings extends BaseCommand {
    @Option(names = "--alias", paramLabel = "NAME", description = "Key alias (unique).")
    String alias;

    @Option(names = "--user", paramLabel = "USER", description = "Owner (user id).")
    String user;

    @Option(names = "--team", paramLabel = "TEAM", description = "Team id or alias.")
    String team;

    @Option(
        names = "--role",
        paramLabel = "ROLE",
        description = "llm_api (default), team_admin or proxy_admin.")
    KeyRole role;

    @Option(
        names = "--models",
        split = ",",
        paramLabel = "MODEL",
        description = "Models the key may call, comma-separated, within its team's and user's.")
    List<String> models;

    @Mixin LimitOptions limits;

    @Mixin AlertOptions alerting;

    @Option(
        names = "--expires",
        paramLabel = "INSTANT",
        description = "When the key stops working, e.g. 2027-01-31T00:00:00Z.")
    Instant expires;

    @Override
    boolean worksOverApi() {
      return true;
    }

    @Override
    boolean changesData() {
      return true;
    }

    Optional<String> userId() {
      return Optional.ofNullable(user).map(u -> u.trim().toLowerCase(Locale.ROOT));
    }

    void report(java.io.PrintWriter w, String verb, VirtualKey k, String suffix) {
      w.println(
          verb
              + " "
              + k.id()
              + " ("
              + Texts.orDash(k.alias())
              + "; user "
              + Texts.orDash(k.userId())
              + ", team "
              + Texts.orDash(k.teamId())
              + ", "
              + k.role().name().toLowerCase(Locale.ROOT)
              + ", daily "
              + Texts.limitText(k.budgets(), BudgetWindow.DAILY)
              + ", monthly "
              + Texts.limitText(k.budgets(), BudgetWindow.MONTHLY)
              + ", rpm "
              + Texts.rpm(k.rateLimits())
              + ", expires "
              + k.expiresAt().map(Object::toString).orElse("never")
              + ")"
              + suffix);
    }
  }

  @Command(name = "create", description = "Creates a key; its secret goes only to --out.")
  static final class Create extends Settings {
    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description =
            "Where the new secret goes: a 0600 CSV (appended if it exists), or '-' for stdout.")
    String out;

    @Override
    int execute() {
      KeySpec.Builder b =
          KeySpec.builder()
              .userId(userId())
              .teamId(teamIdOption(team))
              .alias(Optional.ofNullable(alias))
              .models(models == null ? List.of() : models)
              .budgets(limits.budgets(List.of()))
              .rateLimits(limits.rates(RateLimits.NONE))
              .expiresAt(Optional.ofNullable(expires))
              .metadata(limits.metadata().orElse(Map.of()));
      if (role != null) {
        b.role(role);
      }
      KeySpec spec = b.build();
      OnboardingRow who =
          new OnboardingRow(
              0,
              spec.userId().orElse(""),
              spec.teamId().orElse(""),
              Optional.empty(),
              Optional.empty(),
              OptionalLong.empty());
      // The file is opened first: if it cannot be written, no key is created.
      try (KeyFile f =
          "-".equals(out) ? KeyFile.stdout(out()) : KeyFile.open(resolve(Path.of(out)))) {
        UserEdit.refuseIncreaseOnCreate(alerting);
        alerting.change("key", "-"); // checks the options before the key is created
        IssuedKey issued = admin().generateKey(spec);
        alerting.apply(admin(), "key", issued.key().id());
        f.write(who, issued, "created", environment().clock().instant());
        report(
            "-".equals(out) ? err() : out(),
            "created",
            issued.key(),
            ": secret written to " + f.description());
      }
      return ok();
    }
  }

  @Command(name = "update", description = "Changes the given settings of a key; others stay.")
  static final class Update extends Settings {
    @Parameters(paramLabel = "KEY", description = "Key id (key_...) or key alias.")
    String key;

    @Override
    int execute() {
      VirtualKey current =
          admin()
              .key(key)
              .orElseThrow(
                  () ->
                      CliException.validation(
                          "no key "
                              + KeysCommand.OneKey.shown(key)
                              + ": see 'gateway-admin keys list'"));
      KeyPatch.Builder p = KeyPatch.builder();
      Optional.ofNullable(alias).ifPresent(p::alias);
      userId().ifPresent(p::userId);
      teamIdOption(team).ifPresent(p::teamId);
      Optional.ofNullable(role).ifPresent(p::role);
      Optional.ofNullable(models).ifPresent(p::models);
      if (limits.budgetsGiven()) {
        p.budgets(limits.budgets(current.budgets()));
      }
      if (limits.ratesGiven()) {
        p.rateLimits(limits.rates(current.rateLimits()));
      }
      Optional.ofNullable(expires).ifPresent(p::expiresAt);
      limits.metadata().ifPresent(p::metadata);
      alerting.increase().ifPresent(i -> p.budgetIncrease(Optional.of(i)));
      alerting.change("key", current.id()); // checks the options before anything changes
      VirtualKey updated = admin().updateKey(current.id(), p.build());
      alerting.apply(admin(), "key", updated.id());
      report(out(), "updated", updated, "");
      return ok();
    }
  }
}

package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.onboard.KeyFile;
import io.llmgateway.cli.onboard.OnboardingRow;
import io.llmgateway.cli.output.Format;
import io.llmgateway.cli.output.Renderer;
import io.llmgateway.cli.output.Table;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.VirtualKey;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gateway-admin keys list|show|block|unblock|revoke|rotate}. Keys are named by id or alias.
 */
@Command(
    name = "keys",
    description = "Virtual keys: list, show, create, update, block, unblock, revoke, rotate.",
    subcommands = {
      KeysCommand.ListKeys.class,
      KeysCommand.Show.class,
      KeyEdit.Create.class,
      KeyEdit.Update.class,
      KeysCommand.Block.class,
      KeysCommand.Unblock.class,
      KeysCommand.Revoke.class,
      KeysCommand.Rotate.class
    })
public final class KeysCommand {

  abstract static class OneKey extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Parameters(paramLabel = "KEY", description = "Key id (key_...) or key alias.")
    String key;

    VirtualKey found() {
      return admin()
          .key(key)
          .orElseThrow(
              () ->
                  CliException.validation(
                      "no key "
                          + shown(key)
                          + ": give a key id (key_...) or alias, see 'gateway-admin keys list'"));
    }

    /** Never echo something that may be a secret: a plaintext key or a key hash. */
    static String shown(String ref) {
      return ref.startsWith("sk-") || KeyHash.looksLikeHash(ref)
          ? "(value hidden)"
          : "'" + ref + "'";
    }

    static String describe(VirtualKey k) {
      return k.alias().map(a -> " (" + a + ")").orElse("");
    }

    String status(VirtualKey k) {
      return k.statusAt(environment().clock().instant()).name().toLowerCase(Locale.ROOT);
    }
  }

  @Command(name = "list", description = "Lists keys (never their secrets).")
  static final class ListKeys extends BaseCommand {
    @Override
    boolean worksOverApi() {
      return true;
    }

    @Option(names = "--user", paramLabel = "USER", description = "Only this user's keys.")
    String user;

    @Option(names = "--team", paramLabel = "TEAM", description = "Only this team's keys.")
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
      Optional<String> userId =
          Optional.ofNullable(user).map(u -> u.trim().toLowerCase(Locale.ROOT));
      var now = environment().clock().instant();
      Table t = new Table("key_id", "key_name", "alias", "user_id", "team_id", "status", "created");
      Paging.each(
          limit,
          page -> admin().keys(KeyQuery.builder(page).user(userId).team(teamId).build()),
          k ->
              t.row(
                  k.id(),
                  k.displayPrefix(),
                  Texts.orNull(k.alias()),
                  Texts.orNull(k.userId()),
                  Texts.orNull(k.teamId()),
                  k.statusAt(now).name().toLowerCase(Locale.ROOT),
                  k.createdAt()));
      Renderer.print(t, format, out());
      return ok();
    }
  }

  @Command(name = "show", description = "Shows one key (never its secret).")
  static final class Show extends OneKey {
    @Override
    int execute() {
      VirtualKey k = found();
      var o = out();
      o.println("key_id:           " + k.id());
      o.println("key_name:         " + k.displayPrefix());
      o.println("alias:            " + Texts.orDash(k.alias()));
      o.println("user_id:          " + Texts.orDash(k.userId()));
      o.println("team_id:          " + Texts.orDash(k.teamId()));
      o.println("role:             " + k.role().name().toLowerCase(Locale.ROOT));
      o.println("status:           " + status(k));
      o.println(
          "models:           "
              + (k.models().isEmpty() ? "(team's)" : String.join(", ", k.models())));
      o.println("daily budget:     " + Texts.limitText(k.budgets(), BudgetWindow.DAILY));
      o.println("monthly budget:   " + Texts.limitText(k.budgets(), BudgetWindow.MONTHLY));
      o.println("rpm:              " + Texts.rpm(k.rateLimits()));
      o.println("expires:          " + k.expiresAt().map(Object::toString).orElse("never"));
      o.println("created:          " + k.createdAt());
      o.println("updated:          " + k.updatedAt());
      return ok();
    }
  }

  @Command(
      name = "block",
      description = "Blocks a key: requests with it are refused until unblocked.")
  static final class Block extends OneKey {
    @Mixin Confirmation confirmation;

    @Override
    boolean changesData() {
      return true;
    }

    @Override
    int execute() {
      VirtualKey found = found();
      confirmation.confirm(
          environment().prompt(), "keys block", "block key " + found.id() + describe(found));
      VirtualKey k = admin().block(found.id(), true);
      out().println("blocked " + k.id() + " (" + Texts.orDash(k.alias()) + ")");
      return ok();
    }
  }

  @Command(name = "unblock", description = "Unblocks a key.")
  static final class Unblock extends OneKey {
    @Override
    boolean changesData() {
      return true;
    }

    @Override
    int execute() {
      VirtualKey k = admin().block(found().id(), false);
      out().println("unblocked " + k.id() + " (" + Texts.orDash(k.alias()) + ")");
      return ok();
    }
  }

  @Command(name = "revoke", description = "Deletes a key for good: it stops working at once.")
  static final class Revoke extends OneKey {
    @Mixin Confirmation confirmation;

    @Override
    boolean changesData() {
      return true;
    }

    @Override
    int execute() {
      VirtualKey k = found();
      confirmation.confirm(
          environment().prompt(),
          "keys revoke",
          "revoke key " + k.id() + describe(k) + " for good");
      admin().revoke(k.id());
      out().println("revoked " + k.id() + " (" + Texts.orDash(k.alias()) + ")");
      return ok();
    }
  }

  @Command(
      name = "rotate",
      description =
          "Gives a key a new secret (same id, alias, limits); the old secret stops working.")
  static final class Rotate extends OneKey {
    @Override
    boolean changesData() {
      return true;
    }

    @Option(
        names = "--out",
        required = true,
        paramLabel = "FILE",
        description =
            "Where the new secret goes: a 0600 CSV (appended if it exists), or '-' for stdout.")
    String out;

    @Option(
        names = "--grace",
        paramLabel = "DURATION",
        description = "Keep the old secret working this long (ISO-8601, e.g. PT1H); default: none.")
    java.time.Duration grace;

    @Mixin Confirmation confirmation;

    @Override
    int execute() {
      VirtualKey k = found();
      confirmation.confirm(
          environment().prompt(),
          "keys rotate",
          "rotate key " + k.id() + describe(k) + " (its current secret stops working)");
      OnboardingRow who =
          new OnboardingRow(
              0,
              k.userId().orElse(""),
              k.teamId().orElse(""),
              Optional.empty(),
              Optional.empty(),
              OptionalLong.empty());
      // The file is opened before rotating: if it cannot be written, the old secret keeps working.
      try (KeyFile f =
          "-".equals(out) ? KeyFile.stdout(out()) : KeyFile.open(resolve(Path.of(out)))) {
        IssuedKey issued = admin().rotate(k.id(), Optional.ofNullable(grace));
        f.write(who, issued, "rotated", environment().clock().instant());
        ("-".equals(out) ? err() : out())
            .println(
                "rotated "
                    + k.id()
                    + ": new secret "
                    + issued.key().displayPrefix()
                    + " written to "
                    + f.description());
      }
      return ok();
    }
  }
}

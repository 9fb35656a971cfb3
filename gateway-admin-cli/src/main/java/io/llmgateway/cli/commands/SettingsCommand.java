package io.llmgateway.cli.commands;

import io.llmgateway.cli.RootCommand;
import io.llmgateway.cli.db.DatabaseTarget;
import java.time.ZoneId;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code gateway-admin settings timezone [ZONE]}: settings every gateway instance shares. */
@Command(
    name = "settings",
    description = "Settings the database holds for every gateway instance: timezone.",
    subcommands = {SettingsCommand.Timezone.class})
public final class SettingsCommand {

  @Command(
      name = "timezone",
      description = {
        "Shows the budget time zone, or changes it to ZONE.",
        "Every instance counts daily and monthly budgets in the database's zone; one configured"
            + " with another (GATEWAY_TIMEZONE) refuses to start. A change is refused while any"
            + " gateway instance is connected: stop them all, change, then start them with"
            + " GATEWAY_TIMEZONE=ZONE. Counters keep the zone they were counted in: the new"
            + " zone's current day and month start from zero."
      })
  static final class Timezone extends BaseCommand {
    @Parameters(arity = "0..1", paramLabel = "ZONE", description = "IANA zone, e.g. UTC.")
    String zone;

    @Override
    int execute() {
      DatabaseTarget target = root().target();
      if (zone == null) {
        Optional<ZoneId> current = environment().databases().budgetZone(target);
        out()
            .println(
                current
                    .map(ZoneId::getId)
                    .orElse("not set (the first gateway instance stores its GATEWAY_TIMEZONE)"));
        return ok();
      }
      ZoneId next = RootCommand.parseZone(zone);
      Optional<ZoneId> previous = environment().databases().changeBudgetZone(target, next);
      out()
          .println(
              "budget time zone: "
                  + previous.map(ZoneId::getId).orElse("(not set)")
                  + " -> "
                  + next.getId()
                  + ". Start every gateway instance with GATEWAY_TIMEZONE="
                  + next.getId()
                  + "; counters already written keep their zone, so the new zone's current day"
                  + " and month start from zero.");
      return ok();
    }
  }
}

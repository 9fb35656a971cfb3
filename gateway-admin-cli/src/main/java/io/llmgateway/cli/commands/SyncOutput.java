package io.llmgateway.cli.commands;

import io.llmgateway.config.ConfigSync;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Prints a sync plan: one line per object, then the counts. Stateless. */
final class SyncOutput {
  private SyncOutput() {}

  static void print(
      PrintWriter out,
      List<ConfigSync.Change> plan,
      boolean dryRun,
      Function<ConfigSync.Change, String> detail) {
    for (ConfigSync.Change c : plan) {
      out.printf("%-9s %-20s %s%n", verb(c.action(), dryRun), c.id(), detail.apply(c));
    }
    out.printf(
        "%s%d to create, %d to update, %d unchanged%n",
        dryRun ? "dry run, nothing changed: " : "",
        count(plan, ConfigSync.Action.CREATE),
        count(plan, ConfigSync.Action.UPDATE),
        count(plan, ConfigSync.Action.UNCHANGED));
    out.flush();
  }

  private static String verb(ConfigSync.Action a, boolean dryRun) {
    if (dryRun) {
      return a.name().toLowerCase(Locale.ROOT);
    }
    return switch (a) {
      case CREATE -> "created";
      case UPDATE -> "updated";
      case UNCHANGED -> "unchanged";
    };
  }

  private static long count(List<ConfigSync.Change> plan, ConfigSync.Action a) {
    return plan.stream().filter(c -> c.action() == a).count();
  }
}

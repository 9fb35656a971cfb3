package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import io.llmgateway.cli.admin.AlertRow;
import io.llmgateway.cli.output.Format;
import io.llmgateway.cli.output.Renderer;
import io.llmgateway.cli.output.Table;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway-admin alerts list}: recorded budget alerts and their delivery (docs/ALERTS.md).
 */
@Command(
    name = "alerts",
    description = "Budget alerts: list recorded alerts and their delivery state.",
    subcommands = {AlertsCommand.ListAlerts.class})
public final class AlertsCommand {

  @Command(name = "list", description = "Lists budget alerts, newest first.")
  static final class ListAlerts extends BaseCommand {
    @Option(names = "--state", paramLabel = "STATE", description = "pending, delivered or failed.")
    String state;

    @Option(
        names = "--limit",
        defaultValue = "100",
        description = "At most this many, 1 to 1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json.")
    Format format;

    @Override
    boolean worksOverApi() {
      return true;
    }

    @Override
    int execute() {
      if (state != null && !Set.of("pending", "delivered", "failed").contains(state)) {
        throw CliException.usage("--state must be pending, delivered or failed");
      }
      if (limit < 1 || limit > 1000) {
        throw CliException.usage("--limit must be 1 to 1000");
      }
      Table t =
          new Table(
              "crossed_at",
              "scope",
              "id",
              "window",
              "threshold",
              "state",
              "attempts",
              "last_error",
              "alert_id");
      for (AlertRow a : admin().alerts(Optional.ofNullable(state), limit)) {
        t.row(
            a.crossedAt(),
            a.scopeKind(),
            a.scopeId(),
            a.window() + " " + a.period(),
            a.threshold(),
            a.state(),
            a.attempts(),
            a.lastError().orElse(null),
            a.idempotencyId());
      }
      Renderer.print(t, format, out());
      return ok();
    }
  }
}

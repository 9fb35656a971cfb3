package io.llmgateway.cli.commands;

import io.llmgateway.cli.CliException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gateway-admin spend export --format focus --from --to [--output FILE]}: the spend log as
 * FinOps FOCUS CSV (docs/CLI.md), written as it is read, over the admin API or straight from
 * PostgreSQL.
 */
@Command(
    name = "export",
    description = {
      "Spend log rows between --from and --to as FinOps FOCUS CSV, one row per request, for FinOps"
          + " tools (join LLM spend with the cloud bill).",
      "Dates are calendar days in the budget time zone (--to inclusive) or ISO instants (--to"
          + " exclusive); default: this month so far."
    })
final class SpendExportCommand extends BaseCommand {
  @Override
  boolean worksOverApi() {
    return true;
  }

  @Option(names = "--format", defaultValue = "focus", description = "focus (the only format).")
  String format;

  @Option(names = "--from", paramLabel = "DATE", description = "YYYY-MM-DD or an ISO instant.")
  String from;

  @Option(names = "--to", paramLabel = "DATE", description = "YYYY-MM-DD (inclusive) or instant.")
  String to;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "Write to FILE instead of standard output.")
  Path output;

  @Override
  int execute() {
    if (!"focus".equals(format)) {
      throw CliException.usage("--format must be focus");
    }
    ZoneId zone = root().zone();
    LocalDate today = LocalDate.ofInstant(environment().clock().instant(), zone);
    Instant start =
        from == null
            ? today.withDayOfMonth(1).atStartOfDay(zone).toInstant()
            : SpendCommand.parse(from, zone, false);
    Instant end =
        to == null
            ? today.plusDays(1).atStartOfDay(zone).toInstant()
            : SpendCommand.parse(to, zone, true);
    if (!start.isBefore(end)) {
      throw CliException.usage("--from must be before --to");
    }
    try {
      if (output == null) {
        admin().exportSpend(start, end, out());
        out().flush();
      } else {
        try (Writer w = Files.newBufferedWriter(output, StandardCharsets.UTF_8)) {
          admin().exportSpend(start, end, w);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      throw CliException.infrastructure("cannot write the export: " + e.getMessage(), e);
    }
    return ok();
  }
}

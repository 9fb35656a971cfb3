package io.llmgateway.cli.commands;

import io.llmgateway.cli.db.DatabaseConnector.Migration;
import io.llmgateway.cli.db.DatabaseConnector.MigrationStatus;
import io.llmgateway.cli.db.DatabaseTarget;
import io.llmgateway.cli.output.Table;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code gateway-admin db migrate|status} (Flyway). */
@Command(
    name = "db",
    description = "Database schema (Flyway migrations): migrate, status.",
    subcommands = {DbCommand.Migrate.class, DbCommand.Status.class})
public final class DbCommand {

  @Command(name = "migrate", description = "Applies pending schema migrations.")
  static final class Migrate extends BaseCommand {
    @Override
    int execute() {
      DatabaseTarget target = root().target();
      List<String> applied = environment().databases().migrate(target);
      if (applied.isEmpty()) {
        out().println("schema is up to date (" + target + ")");
      } else {
        out()
            .println(
                "applied "
                    + applied.size()
                    + " migrations to "
                    + target
                    + ": "
                    + String.join(", ", applied));
      }
      return ok();
    }
  }

  @Command(name = "status", description = "Shows applied and pending migrations; changes nothing.")
  static final class Status extends BaseCommand {
    @Override
    int execute() {
      MigrationStatus s = environment().databases().status(root().target());
      Table t = new Table("version", "description", "state", "applied_at");
      for (Migration m : s.applied()) {
        t.row(m.version(), m.description(), "applied", m.at().map(Object::toString).orElse("-"));
      }
      for (Migration m : s.pending()) {
        t.row(m.version(), m.description(), "pending", "-");
      }
      out().println(s.where());
      t.print(out());
      out()
          .println(
              s.pending().isEmpty()
                  ? "schema is up to date"
                  : s.pending().size() + " pending: run 'gateway-admin db migrate'");
      return ok();
    }
  }
}

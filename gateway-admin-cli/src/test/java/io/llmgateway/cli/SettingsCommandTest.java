package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.cli.db.PostgresConnector;
import io.llmgateway.cli.testing.CliHarness;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The budget time zone is the database's: the CLI computes its windows in it, refuses a different
 * --timezone / GATEWAY_TIMEZONE, and changes it only while no gateway instance is connected.
 */
class SettingsCommandTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");

  @TempDir Path dir;

  private CliHarness cliOn(DatabaseConfig db) throws Exception {
    CliHarness cli = new CliHarness(dir, new PostgresConnector(), null);
    cli.env.put("DATABASE_URL", CliHarness.urlOf(db));
    return cli;
  }

  @Test
  void theCliCountsDaysInTheDatabasesZoneAndRefusesAnother() throws Exception {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    // The first gateway instance on this database was configured for Los Angeles.
    PostgresAdapters.start(db, LA).close();
    CliHarness cli = cliOn(db);

    // 10:00 UTC on 27 November is 02:00 in Los Angeles: still the 27th, in LA's calendar.
    CliHarness.Run report = cli.run("spend", "report", "--by", "team");
    assertThat(report.exitCode()).as(report.toString()).isEqualTo(ExitCode.OK);
    assertThat(report.out())
        .contains("from 2026-11-01T07:00:00Z to 2026-11-28T08:00:00Z (America/Los_Angeles)");

    CliHarness.Run refused = cli.run("spend", "report", "--timezone", "UTC");
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.USAGE);
    assertThat(refused.err())
        .contains("UTC")
        .contains("America/Los_Angeles")
        .contains("gateway-admin settings timezone UTC");

    cli.env.put("GATEWAY_TIMEZONE", "America/Los_Angeles");
    assertThat(cli.run("spend", "report").exitCode()).isEqualTo(ExitCode.OK);
  }

  @Test
  void theZoneChangesOnlyWithEveryInstanceStopped() throws Exception {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    CliHarness cli = cliOn(db);
    CliHarness.Run unset = cli.run("settings", "timezone");
    assertThat(unset.out()).contains("not set");

    try (PostgresAdapters instance = PostgresAdapters.start(db, ZoneId.of("UTC"))) {
      assertThat(cli.run("settings", "timezone").out().trim()).isEqualTo("UTC");
      CliHarness.Run refused = cli.run("settings", "timezone", "America/Los_Angeles");
      assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.VALIDATION);
      assertThat(refused.err()).contains("stop every gateway instance");
    }

    CliHarness.Run changed = cli.run("settings", "timezone", "America/Los_Angeles");
    assertThat(changed.exitCode()).as(changed.toString()).isEqualTo(ExitCode.OK);
    assertThat(changed.out()).contains("UTC -> America/Los_Angeles");
    assertThat(cli.run("settings", "timezone").out().trim()).isEqualTo("America/Los_Angeles");
    try (PostgresAdapters next = PostgresAdapters.start(db, LA)) {
      assertThat(next.budgetZone()).isEqualTo(LA);
    }

    CliHarness.Run unknown = cli.run("settings", "timezone", "Mars/Olympus");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
  }
}

package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.cli.testing.CliHarness;
import io.llmgateway.cli.testing.Harnesses;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** Base of the command tests: a fresh database and working directory per test. */
abstract class CommandTest {
  static final String SEED_CSV =
      """
      email,tier,alias,budget,rpm
      user1@example.com,drafting,User One,,
      user2@example.com,coding,User Two,,
      user3@example.com,architect,User Three,,
      """;

  @TempDir Path dir;
  CliHarness cli;

  @BeforeEach
  void freshCli() throws IOException {
    cli = Harnesses.create(dir);
  }

  @AfterEach
  void closeReaders() {
    CliHarness.closeAll();
  }

  CliHarness.Run ok(String... args) {
    CliHarness.Run r = cli.run(args);
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.OK);
    return r;
  }

  CliHarness.Run fails(int code, String... args) {
    CliHarness.Run r = cli.run(args);
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(code);
    return r;
  }

  /** Teams synced from config/tiers.yaml and the seed's three users onboarded. */
  void seedOnboarded() throws IOException {
    ok("models", "sync", "--file", "config/models.yaml");
    ok("teams", "sync", "--file", "config/tiers.yaml");
    cli.write("users_to_onboard.csv", SEED_CSV);
    ok("users", "onboard", "--csv", "users_to_onboard.csv", "--out", "keys.csv");
  }
}

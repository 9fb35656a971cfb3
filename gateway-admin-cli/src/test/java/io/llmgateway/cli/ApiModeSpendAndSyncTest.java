package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.cli.testing.CliHarness;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.testing.ScriptedProvider;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code spend report|top}, {@code models list|sync}, {@code teams sync} and {@code users onboard}
 * over the admin API against a real gateway server on the CLI's database: the same output as on the
 * database in every format, idempotent syncs and onboarding, and a team-admin key held to its team
 * (its reports show only its team; syncs are refused up front).
 */
class ApiModeSpendAndSyncTest extends CommandTest {
  private static final String MASTER = "sk-test-master";
  private GatewayServer server;

  @BeforeEach
  void serverOnTheSameDatabaseWithSpend() throws Exception {
    seedOnboarded();
    server =
        GatewayServer.start(
            ServerConfig.forTests(),
            cli.stores(),
            List.of(new ScriptedProvider("bedrock")),
            cli.clock);
    List<String> lines = Files.readAllLines(cli.workDir.resolve("keys.csv"));
    Gateway gateway =
        Gateway.builder()
            .stores(cli.stores())
            .provider(new ScriptedProvider("bedrock").usage(10, 1_000))
            .clock(cli.clock)
            .config(GatewayConfig.defaults())
            .build();
    // Yesterday one request by user1; today two by user1, one by user2, one by user3.
    cli.clock.advance(Duration.ofDays(-1));
    gateway.chat(gateway.authenticate(keyOf(lines, "user1")), ChatRequest.of("model-cheap", "a"));
    cli.clock.advance(Duration.ofDays(1));
    gateway.chat(gateway.authenticate(keyOf(lines, "user1")), ChatRequest.of("model-cheap", "b"));
    gateway.chat(gateway.authenticate(keyOf(lines, "user1")), ChatRequest.of("model-cheap", "c"));
    gateway.chat(
        gateway.authenticate(keyOf(lines, "user2")), ChatRequest.of("model-balanced", "d"));
    gateway.chat(
        gateway.authenticate(keyOf(lines, "user3")), ChatRequest.of("model-reasoning", "e"));
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  private static String keyOf(List<String> keyFile, String user) {
    return keyFile.stream()
        .filter(l -> l.startsWith(user + "@example.com,"))
        .findFirst()
        .orElseThrow()
        .split(",")[5];
  }

  private CliHarness.Run overApi(String key, String... args) {
    cli.env.put("GATEWAY_URL", server.baseUrl());
    cli.env.put("GATEWAY_ADMIN_KEY", key);
    try {
      return cli.run(args);
    } finally {
      cli.env.remove("GATEWAY_URL");
      cli.env.remove("GATEWAY_ADMIN_KEY");
    }
  }

  /**
   * The same invocation on the database and over the API: same exit code, stdout and stderr; and
   * the API was really used (a key the server does not know is refused).
   */
  private CliHarness.Run sameOutput(String... args) {
    var api = same(args);
    assertThat(overApi("sk-wrong-key-123456", args).exitCode()).isEqualTo(ExitCode.VALIDATION);
    return api;
  }

  private CliHarness.Run same(String... args) {
    var db = cli.run(args);
    var api = overApi(MASTER, args);
    assertThat(api.exitCode()).as(api.toString()).isEqualTo(db.exitCode());
    assertThat(api.out()).as(String.join(" ", args)).isEqualTo(db.out());
    assertThat(api.err()).as(String.join(" ", args)).isEqualTo(db.err());
    return api;
  }

  @Test
  void spendReportsAndTopPrintTheSameOverTheApiInEveryFormat() {
    for (String by : List.of("team", "user", "key", "model", "day")) {
      sameOutput("spend", "report", "--by", by);
      same("spend", "report", "--by", by, "--format", "csv");
      same("spend", "report", "--by", by, "--format", "json");
    }
    var team =
        sameOutput("spend", "report", "--by", "team", "--from", "2026-11-01", "--to", "2026-11-30");
    assertThat(team.out()).contains("drafting").contains("coding").contains("architect");
    // Instants (exclusive end) as well as days; a range that holds only today's requests.
    sameOutput(
        "spend", "report", "--by", "user", "--from", cli.clock.instant().minusSeconds(60) + "");
    for (String window : List.of("daily", "monthly")) {
      for (String format : List.of("table", "csv", "json")) {
        same("spend", "top", "--window", window, "--format", format);
      }
    }
    sameOutput("spend", "top", "--limit", "1");
    // The same usage errors either way.
    sameOutput("spend", "report", "--from", "2026-11-30", "--to", "2026-11-01");
  }

  @Test
  void aTeamAdminsSpendReportShowsOnlyItsTeam() throws Exception {
    String admin = ApiModeCommandTest.teamAdminKey(server, "drafting");
    var teams = overApi(admin, "spend", "report", "--by", "team");
    assertThat(teams.exitCode()).as(teams.toString()).isZero();
    assertThat(teams.out())
        .contains("drafting")
        .doesNotContain("coding")
        .doesNotContain("architect");
    var users = overApi(admin, "spend", "report", "--by", "user", "--format", "csv");
    assertThat(users.out()).contains("user1@example.com").doesNotContain("user2@example.com");
    var top = overApi(admin, "spend", "top");
    assertThat(top.exitCode()).as(top.toString()).isZero();
    assertThat(top.out()).contains("user1@example.com").doesNotContain("user3@example.com");
    // The master sees every team's spend through the same route.
    assertThat(overApi(MASTER, "spend", "report", "--by", "team").out()).contains("coding");
  }

  @Test
  void modelsListAndSyncWorkTheSameOverTheApiAndOnlyForProxyAdmins() throws Exception {
    sameOutput("models", "list");
    same("models", "list", "--format", "json");
    same("models", "list", "--format", "csv");
    sameOutput("models", "sync", "--file", "config/models.yaml", "--dry-run");
    sameOutput("models", "sync", "--file", "config/models.yaml");

    cli.write(
        "more-models.yaml",
        Files.readString(cli.workDir.resolve("config/models.yaml"))
            + """
              - model_name: model-cheap
                litellm_params:
                  model: bedrock/converse/us.amazon.nova-micro-v1:0
                  aws_region_name: us-west-2
                model_info:
                  id: nova-micro-us-west-2
            """);
    var plan = sameOutput("models", "sync", "--file", "more-models.yaml", "--dry-run");
    assertThat(plan.out()).contains("create    nova-micro-us-west-2");
    var created = overApi(MASTER, "models", "sync", "--file", "more-models.yaml");
    assertThat(created.exitCode()).as(created.toString()).isZero();
    assertThat(created.out())
        .contains("created   nova-micro-us-west-2")
        // The seven models of config/models.yaml (four added in session 9) plus the new one.
        .endsWith("1 to create, 0 to update, 7 unchanged\n");
    var again = overApi(MASTER, "models", "sync", "--file", "more-models.yaml");
    assertThat(again.out()).endsWith("0 to create, 0 to update, 8 unchanged\n");
    assertThat(sameOutput("models", "list").out()).contains("nova-micro-us-west-2");

    String admin = ApiModeCommandTest.teamAdminKey(server, "drafting");
    var refused = overApi(admin, "models", "sync", "--file", "more-models.yaml", "--dry-run");
    assertThat(refused.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(refused.out()).isEmpty();
    assertThat(refused.err())
        .contains("'gateway-admin models sync'")
        .contains("master key or a proxy-admin key")
        .doesNotContain(admin);
  }

  @Test
  void teamsSyncIsTheSameOverTheApiIdempotentAndRefusedToATeamAdmin() throws Exception {
    sameOutput("teams", "sync", "--file", "config/tiers.yaml", "--dry-run");
    sameOutput("teams", "sync", "--file", "config/tiers.yaml");
    cli.write(
        "tiers2.yaml",
        Files.readString(cli.workDir.resolve("config/tiers.yaml"))
            .replace("budget_daily: 0.017", "budget_daily: 0.02"));
    var plan = sameOutput("teams", "sync", "--file", "tiers2.yaml", "--dry-run");
    assertThat(plan.out()).contains("update    drafting");
    var applied = overApi(MASTER, "teams", "sync", "--file", "tiers2.yaml");
    assertThat(applied.out()).contains("updated   drafting").contains("$0.017 -> $0.02");
    // Applied over the API, seen on the database: nothing left to do in either mode.
    assertThat(sameOutput("teams", "sync", "--file", "tiers2.yaml").out())
        .endsWith("0 to create, 0 to update, 4 unchanged\n"); // four tiers (retrieval)

    String admin = ApiModeCommandTest.teamAdminKey(server, "drafting");
    var refused = overApi(admin, "teams", "sync", "--file", "tiers2.yaml");
    assertThat(refused.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(refused.err()).contains("'gateway-admin teams sync'").contains("proxy-admin key");
  }

  @Test
  void onboardingOverTheApiPrintsWhatTheDatabaseModePrintsAndIsIdempotent() throws Exception {
    String rows =
        """
        email,tier,alias,budget,rpm
        %s1@example.com,drafting,A,,
        user1@example.com,drafting,User One,,
        %s2@example.com,coding,B,0.05,7

        bad-email,coding,C,,
        %s3@example.com,architect,"D, E",,
        """;
    cli.write("db.csv", rows.formatted("db", "db", "db"));
    cli.write("api.csv", rows.formatted("api", "api", "api"));
    sameOutput("users", "onboard", "--csv", "db.csv", "--out", "x.csv", "--dry-run");

    var db =
        cli.run("users", "onboard", "--csv", "db.csv", "--out", "db-keys.csv", "--skip-invalid");
    var api =
        overApi(
            MASTER,
            "users",
            "onboard",
            "--csv",
            "api.csv",
            "--out",
            "api-keys.csv",
            "--skip-invalid");
    assertThat(api.exitCode()).isEqualTo(db.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(api.out()).isEqualTo(db.out().replace("db-keys.csv", "api-keys.csv"));
    assertThat(api.err()).isEqualTo(db.err());
    assertThat(api.out() + api.err())
        .contains("onboarded 4 rows: 3 users created, 1 existing unchanged")
        .contains("line 6");
    var keys = cli.workDir.resolve("api-keys.csv");
    assertThat(Files.readAllLines(keys))
        .hasSize(Files.readAllLines(cli.workDir.resolve("db-keys.csv")).size());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)))
        .isEqualTo("rw-------");
    assertThat(ok("users", "show", "api2@example.com").out()).contains("coding");

    // Re-runs change nothing and print the same in both modes.
    sameOutput("users", "onboard", "--csv", "api.csv", "--out", "again.csv", "--skip-invalid");

    // A team admin sees only its own team, so another team's tier is an unknown tier: nothing is
    // onboarded; with --skip-invalid only its own team's row is.
    String admin = ApiModeCommandTest.teamAdminKey(server, "drafting");
    cli.write("mixed.csv", "email,tier\nmine@example.com,drafting\ntheirs@example.com,coding\n");
    var mixed = overApi(admin, "users", "onboard", "--csv", "mixed.csv", "--out", "m.csv");
    assertThat(mixed.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(mixed.err()).contains("line 3").contains("unknown tier 'coding'");
    assertThat(cli.run("users", "show", "mine@example.com").exitCode()).isNotZero();
    var skipped =
        overApi(
            admin, "users", "onboard", "--csv", "mixed.csv", "--out", "m.csv", "--skip-invalid");
    assertThat(skipped.out() + skipped.err()).contains("1 users created");
    assertThat(ok("users", "show", "mine@example.com").out()).contains("drafting");
    assertThat(cli.run("users", "show", "theirs@example.com").exitCode()).isNotZero();
  }
}

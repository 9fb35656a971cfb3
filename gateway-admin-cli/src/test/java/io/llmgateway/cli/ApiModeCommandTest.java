package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.cli.testing.CliHarness;
import io.llmgateway.core.testing.ScriptedProvider;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same commands over the admin API ({@code GATEWAY_URL} + {@code GATEWAY_ADMIN_KEY}) against a
 * real gateway server on the CLI's database: identical output to the database mode, the key held to
 * its role (a team admin sees and changes only its team), the key never printed, and the
 * database-only commands refusing the API mode.
 */
class ApiModeCommandTest extends CommandTest {
  private static final String MASTER = "sk-test-master";
  private GatewayServer server;

  @BeforeEach
  void serverOnTheSameDatabase() throws IOException {
    seedOnboarded();
    server =
        GatewayServer.start(
            ServerConfig.forTests(),
            cli.stores(),
            List.of(new ScriptedProvider("bedrock")),
            cli.clock);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** The same invocation on the database, then over the API with {@code key}. */
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

  private void sameOutput(String... args) {
    var db = ok(args);
    var api = overApi(MASTER, args);
    assertThat(api.exitCode()).as(api.toString()).isZero();
    assertThat(api.out()).as(String.join(" ", args)).isEqualTo(db.out());
    assertThat(api.err()).isEqualTo(db.err());
    // The API was really used: the same command with a key the server does not know is refused.
    assertThat(overApi("sk-wrong-key-123456", args).exitCode()).isEqualTo(ExitCode.VALIDATION);
  }

  @Test
  void everyCoveredReadCommandPrintsTheSameOverTheApiAsOnTheDatabase() {
    sameOutput("teams", "list");
    sameOutput("teams", "list", "--format", "json");
    sameOutput("teams", "show", "drafting");
    sameOutput("users", "list");
    sameOutput("users", "list", "--team", "coding", "--format", "csv");
    sameOutput("users", "show", "user2@example.com");
    sameOutput("keys", "list");
    sameOutput("keys", "list", "--team", "architect");
    sameOutput("keys", "list", "--limit", "2");
    sameOutput("keys", "show", "user1@example.com");
  }

  @Test
  void changesOverTheApiActOnTheGatewayAndPrintWhatTheDatabaseModePrints() {
    String id = keyIdOf("user3@example.com");
    // Over the API, not the database: a key the server does not know changes nothing.
    var refused = overApi("sk-wrong-key-123456", "keys", "block", id, "--yes");
    assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(ExitCode.VALIDATION);
    assertThat(cli.stores().keys().findById(id).orElseThrow().blocked()).isFalse();

    var blocked = overApi(MASTER, "keys", "block", "user3@example.com", "--yes");
    assertThat(blocked.exitCode()).as(blocked.toString()).isZero();
    assertThat(blocked.out()).isEqualTo("blocked " + id + " (user3@example.com)\n");
    assertThat(cli.stores().keys().findById(id).orElseThrow().blocked()).isTrue();
    assertThat(ok("keys", "unblock", id).out())
        .isEqualTo("unblocked " + id + " (user3@example.com)\n");

    var rotated = overApi(MASTER, "keys", "rotate", id, "--out", "rotated.csv", "--yes");
    assertThat(rotated.exitCode()).as(rotated.toString()).isZero();
    assertThat(rotated.out()).startsWith("rotated " + id + ": new secret sk-...");
    assertThat(cli.workDir.resolve("rotated.csv")).content().contains("user3@example.com");

    var revoked = overApi(MASTER, "keys", "revoke", id, "--yes");
    assertThat(revoked.out()).isEqualTo("revoked " + id + " (user3@example.com)\n");
    assertThat(cli.stores().keys().findById(id)).isEmpty();
  }

  @Test
  void aTeamAdminKeySeesAndChangesOnlyItsOwnTeam() throws Exception {
    String teamAdmin = teamAdminKey("drafting");

    var teams = overApi(teamAdmin, "teams", "list");
    assertThat(teams.exitCode()).as(teams.toString()).isZero();
    assertThat(teams.out())
        .contains("drafting")
        .doesNotContain("coding")
        .doesNotContain("architect");
    var keys = overApi(teamAdmin, "keys", "list");
    assertThat(keys.out()).contains("user1@example.com").doesNotContain("user2@example.com");

    var otherKey = overApi(teamAdmin, "keys", "block", "user2@example.com", "--yes");
    assertThat(otherKey.exitCode()).as(otherKey.toString()).isEqualTo(ExitCode.VALIDATION);
    assertThat(otherKey.err()).contains("no key 'user2@example.com'");
    assertThat(cli.stores().keys().findById(keyIdOf("user2@example.com")).orElseThrow().blocked())
        .isFalse();
    var otherTeam = overApi(teamAdmin, "teams", "show", "coding");
    assertThat(otherTeam.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(otherTeam.err()).contains("no team 'coding'");
    var otherUsers = overApi(teamAdmin, "users", "list", "--team", "coding");
    assertThat(otherUsers.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(otherUsers.out()).doesNotContain("user2@example.com");

    assertThat(teams.out() + teams.err() + keys.out() + otherKey.err()).doesNotContain(teamAdmin);
  }

  @Test
  void aWrongKeyAnUnreachableUrlAndDatabaseOnlyCommandsFailClearly() throws IOException {
    var wrong = overApi("sk-wrong-key-123456", "teams", "list");
    assertThat(wrong.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(wrong.err())
        .contains("401")
        .contains("GATEWAY_ADMIN_KEY")
        .doesNotContain("sk-wrong");

    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    cli.env.put("GATEWAY_ADMIN_KEY", MASTER);
    var down = cli.run("teams", "list", "--url", "http://127.0.0.1:" + closed);
    assertThat(down.exitCode()).isEqualTo(ExitCode.INFRASTRUCTURE);
    assertThat(down.err())
        .contains("cannot reach http://127.0.0.1:" + closed)
        .doesNotContain(MASTER);
    cli.env.remove("GATEWAY_ADMIN_KEY");

    var noKey = cli.run("teams", "list", "--url", server.baseUrl());
    assertThat(noKey.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(noKey.err()).contains("GATEWAY_ADMIN_KEY is not set");

    for (String[] cmd :
        new String[][] {
          {"db", "migrate"},
          {"db", "status"},
          {"settings", "timezone"},
          {"settings", "timezone", "UTC"}
        }) {
      var r = overApi(MASTER, cmd);
      assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCode.USAGE);
      assertThat(r.err()).contains("works only on the database");
    }
  }

  @Test
  void usersAreCreatedAndUpdatedTheSameWayInBothModesWithinATeamAdminsLimits() throws Exception {
    String[] settings = {
      "--team",
      "drafting",
      "--alias",
      "New Hire",
      "--daily-budget",
      "0.01",
      "--rpm",
      "5",
      "--metadata",
      "owner=ops"
    };
    var db = ok(concat(new String[] {"users", "create", "db@example.com"}, settings));
    var api =
        overApi(MASTER, concat(new String[] {"users", "create", "api@example.com"}, settings));
    assertThat(api.exitCode()).as(api.toString()).isZero();
    assertThat(db.out())
        .isEqualTo("created user db@example.com (team drafting, daily $0.01, monthly -, rpm 5)\n");
    assertThat(api.out()).isEqualTo(db.out().replace("db@example.com", "api@example.com"));
    for (String id : List.of("db@example.com", "api@example.com")) {
      var u = cli.stores().users().findById(id).orElseThrow();
      assertThat(u.alias()).contains("New Hire");
      assertThat(u.metadata()).containsEntry("owner", "ops");
      assertThat(u.rateLimits().rpm()).hasValue(5);
    }

    String[] change = {"--monthly-budget", "0.2", "--models", "model-cheap", "--tpm", "1000"};
    var dbUpdate = ok(concat(new String[] {"users", "update", "db@example.com"}, change));
    var apiUpdate =
        overApi(MASTER, concat(new String[] {"users", "update", "api@example.com"}, change));
    assertThat(dbUpdate.out())
        .isEqualTo(
            "updated user db@example.com (team drafting, daily $0.01, monthly $0.2, rpm 5)\n");
    assertThat(apiUpdate.out())
        .isEqualTo(dbUpdate.out().replace("db@example.com", "api@example.com"));
    // Shown the same (apart from the id, the creation time and the key list's key ids).
    assertThat(ok("users", "show", "api@example.com").out().replaceAll("created: .*", ""))
        .isEqualTo(
            ok("users", "show", "db@example.com")
                .out()
                .replace("db@example.com", "api@example.com")
                .replaceAll("created: .*", ""));
    assertThat(cli.stores().users().findById("api@example.com").orElseThrow().models())
        .containsExactly("model-cheap");

    var badModel = overApi(MASTER, "users", "update", "api@example.com", "--models", "model-typo");
    assertThat(badModel.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(badModel.err()).contains("unknown model 'model-typo'");
    assertThat(
            fails(
                    ExitCode.VALIDATION,
                    "users",
                    "update",
                    "db@example.com",
                    "--models",
                    "model-typo")
                .err())
        .contains("unknown model 'model-typo'");

    String teamAdmin = teamAdminKey("drafting");
    var ownTeam = overApi(teamAdmin, "users", "create", "mine@example.com", "--team", "drafting");
    assertThat(ownTeam.exitCode()).as(ownTeam.toString()).isZero();
    var otherTeam = overApi(teamAdmin, "users", "create", "theirs@example.com", "--team", "coding");
    assertThat(otherTeam.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(cli.stores().users().findById("theirs@example.com")).isEmpty();
    var otherUser = overApi(teamAdmin, "users", "update", "user2@example.com", "--rpm", "1");
    assertThat(otherUser.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(otherUser.err()).contains("no user 'user2@example.com'");
    assertThat(cli.stores().users().findById("user2@example.com").orElseThrow().rateLimits().rpm())
        .isEmpty();
  }

  @Test
  void keysAreCreatedAndUpdatedTheSameWayInBothModesWithinATeamAdminsLimits() throws Exception {
    String[] settings = {
      "--user", "user1@example.com", "--team", "drafting", "--models", "model-cheap",
      "--daily-budget", "0.005", "--rpm", "7", "--expires", "2027-01-31T00:00:00Z",
      "--metadata", "purpose=ci"
    };
    var db =
        ok(
            concat(
                new String[] {"keys", "create", "--alias", "ci-db", "--out", "db.csv"}, settings));
    var api =
        overApi(
            MASTER,
            concat(
                new String[] {"keys", "create", "--alias", "ci-api", "--out", "api.csv"},
                settings));
    assertThat(api.exitCode()).as(api.toString()).isZero();
    String dbId = keyIdOf("ci-db");
    String apiId = keyIdOf("ci-api");
    assertThat(db.out())
        .isEqualTo(
            "created "
                + dbId
                + " (ci-db; user user1@example.com, team drafting, llm_api, daily $0.005, monthly -,"
                + " rpm 7, expires 2027-01-31T00:00:00Z): secret written to "
                + cli.workDir.resolve("db.csv")
                + "\n");
    assertThat(api.out())
        .isEqualTo(
            db.out().replace(dbId, apiId).replace("ci-db", "ci-api").replace("db.csv", "api.csv"));
    assertThat(cli.workDir.resolve("api.csv")).content().contains("ci-api").contains(",sk-");
    assertThat(api.out() + api.err()).doesNotContain(",sk-");

    String[] change = {"--monthly-budget", "0.1", "--tpm", "500", "--metadata", "purpose=batch"};
    var dbUpdate = ok(concat(new String[] {"keys", "update", "ci-db"}, change));
    var apiUpdate = overApi(MASTER, concat(new String[] {"keys", "update", "ci-api"}, change));
    assertThat(dbUpdate.out()).startsWith("updated " + dbId).contains("monthly $0.1");
    assertThat(apiUpdate.out())
        .isEqualTo(dbUpdate.out().replace(dbId, apiId).replace("ci-db", "ci-api"));
    var stored = cli.stores().keys().findById(apiId).orElseThrow();
    assertThat(stored.metadata()).containsEntry("purpose", "batch");
    assertThat(stored.rateLimits().tpm()).hasValue(500);
    assertThat(stored.rateLimits().rpm()).hasValue(7);

    String teamAdmin = teamAdminKey("drafting");
    var otherTeam =
        overApi(
            teamAdmin,
            "keys",
            "create",
            "--user",
            "user2@example.com",
            "--team",
            "coding",
            "--out",
            "x.csv");
    assertThat(otherTeam.exitCode()).as(otherTeam.toString()).isEqualTo(ExitCode.VALIDATION);
    var otherKey = overApi(teamAdmin, "keys", "update", "user2@example.com", "--rpm", "1");
    assertThat(otherKey.exitCode()).isEqualTo(ExitCode.VALIDATION);
    assertThat(otherKey.err()).contains("no key 'user2@example.com'");
    assertThat(
            cli.stores()
                .keys()
                .findById(keyIdOf("user2@example.com"))
                .orElseThrow()
                .rateLimits()
                .rpm())
        .isEmpty();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private String keyIdOf(String alias) {
    Matcher m =
        Pattern.compile("(key_\\w+) .*" + Pattern.quote(alias)).matcher(ok("keys", "list").out());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }

  private String teamAdminKey(String team) throws Exception {
    return teamAdminKey(server, team);
  }

  /** A team-admin key for {@code team}, issued by the master over the API. */
  static String teamAdminKey(GatewayServer server, String team) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(server.baseUrl() + "/key/generate"))
                    .header("Authorization", "Bearer " + MASTER)
                    .header("Content-Type", "application/json")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"team_id\": \"" + team + "\", \"key_type\": \"team_admin\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    Matcher m = Pattern.compile("\"key\":\"(sk-[^\"]+)\"").matcher(r.body());
    assertThat(m.find()).isTrue();
    return m.group(1);
  }
}

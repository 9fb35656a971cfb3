package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

class CliBasicsTest extends CommandTest {

  @Test
  void helpListsEveryCommandAndTheEnvironment() {
    var help = ok("--help");

    assertThat(help.out())
        .contains("Usage: gateway-admin")
        .contains("teams", "users", "keys", "models", "spend", "db", "completion")
        .contains("DATABASE_URL")
        .contains("Exit codes: 0 ok, 1 invalid input or data")
        .contains("3 database or other infrastructure failure");
    assertThat(ok("users", "onboard", "--help").out())
        .contains("--csv=FILE")
        .contains("--skip-invalid")
        .contains("--rotate");
    assertThat(ok("keys", "--help").out()).contains("block", "unblock", "revoke", "rotate");
    assertThat(ok("--version").out()).startsWith("gateway-admin ");
  }

  @Test
  void versionNamesTheCommitTheBuildCameFrom() throws Exception {
    String printed = ok("--version").out().strip();
    Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
    String head = new String(git.getInputStream().readAllBytes()).strip();
    if (git.waitFor() == 0 && head.matches("[0-9a-f]{40}")) {
      // Built from this checkout: the commit is HEAD's (the build and the test share the tree).
      assertThat(printed).matches("gateway-admin \\S+ \\(commit " + head + "\\)");
    } else {
      assertThat(printed).endsWith("(commit unknown)");
    }
  }

  @Test
  void completionPrintsABashScriptForEveryCommand() {
    var r = ok("completion");

    assertThat(r.out())
        .startsWith("#!/usr/bin/env bash")
        .contains("complete -F")
        .contains("onboard")
        .contains("--skip-invalid");
  }

  @Test
  void usageErrorsExitTwoAndSayWhatToDo() {
    assertThat(fails(ExitCode.USAGE).err()).contains("Missing required subcommand");
    assertThat(fails(ExitCode.USAGE, "teams").err()).contains("Missing required subcommand");
    assertThat(fails(ExitCode.USAGE, "tems", "list").err())
        .contains("Did you mean")
        .contains("teams");
    assertThat(fails(ExitCode.USAGE, "keys", "list", "--format", "xml").err()).contains("--format");
    assertThat(fails(ExitCode.USAGE, "teams", "list", "--timezone", "Mars/Olympus").err())
        .contains("unknown time zone");
  }

  @Test
  void anUnreachableDatabaseExitsThreeWithoutShowingThePassword() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    cli.env.put(
        "DATABASE_URL", "postgresql://admin:hunter2secret@127.0.0.1:" + closedPort + "/gateway");

    var r = fails(ExitCode.INFRASTRUCTURE, "teams", "list");

    assertThat(r.err())
        .contains(
            "cannot use the database postgresql://admin:****@127.0.0.1:" + closedPort + "/gateway")
        .contains("check DATABASE_URL")
        .doesNotContain("hunter2secret");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void aMalformedDatabaseUrlIsAUsageError() {
    cli.env.put("DATABASE_URL", "mysql://root:pw@localhost/db");

    var r = fails(ExitCode.USAGE, "teams", "list");

    assertThat(r.err()).contains("DATABASE_URL must start with postgresql://");
  }

  @Test
  void theDatabaseUrlFlagWinsOverTheEnvironment() {
    String good = cli.env.get("DATABASE_URL");
    cli.env.put("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none");

    ok("models", "sync", "--database-url", good);
    ok("teams", "sync", "--database-url", good);

    assertThat(cli.stores().teams().findById("coding")).isPresent();
  }
}

package io.llmgateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.postgres.EmbeddedDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Without DATABASE_URL the CLI uses the embedded PostgreSQL in the server's data directory: it
 * starts it when nobody runs it, and connects to the running one when a gateway holds it.
 */
class EmbeddedDatabaseTest extends CommandTest {

  @Test
  void usesTheEmbeddedDatabaseInTheDataDirectoryAndKeepsItsData() {
    cli.env.remove("DATABASE_URL");
    Path data = cli.workDir.resolve("gateway-data");
    cli.env.put("GATEWAY_DATA_DIR", data.toString());

    ok("models", "sync");
    ok("teams", "sync");
    var list = ok("teams", "list");
    var status = ok("db", "status");

    assertThat(list.out()).contains("drafting").contains("architect");
    assertThat(data.resolve("postgres/PG_VERSION")).exists();
    assertThat(status.out())
        .contains("embedded database in " + data)
        .contains("schema is up to date");
  }

  @Test
  void connectsToTheDatabaseOfARunningGatewayInsteadOfStartingASecondOne() {
    cli.env.remove("DATABASE_URL");
    Path data = cli.workDir.resolve("shared-data");
    cli.env.put("GATEWAY_DATA_DIR", data.toString());
    // What the server does at start: embedded PostgreSQL in <data dir>/postgres.
    try (EmbeddedDatabase running = EmbeddedDatabase.start(data.resolve("postgres"))) {
      ok("models", "sync");
      ok("teams", "sync");
      var status = ok("db", "status");

      assertThat(status.out()).contains("already running").contains("port " + running.port());
      assertThat(ok("teams", "list").out()).contains("coding");
    }
  }
}

package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedDatabaseTest {

  @Test
  void theEmbeddedServerIsDurable(@TempDir Path dir) throws Exception {
    try (EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("data"));
        java.sql.Connection c =
            java.sql.DriverManager.getConnection(db.jdbcUrl("gateway"), "postgres", "");
        java.sql.Statement s = c.createStatement()) {
      for (String setting : new String[] {"fsync", "synchronous_commit", "full_page_writes"}) {
        try (java.sql.ResultSet rs = s.executeQuery("SHOW " + setting)) {
          rs.next();
          org.assertj.core.api.Assertions.assertThat(rs.getString(1)).as(setting).isEqualTo("on");
        }
      }
    }
  }

  @Test
  void restartsOnItsDataAfterTheOwningProcessWasKilled(@TempDir Path dir) throws Exception {
    Path data = dir.resolve("data");
    String teamId = TestData.id("team");
    String java = ProcessHandle.current().info().command().orElse("java");
    Process child =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx256m",
                    "-XX:TieredStopAtLevel=1",
                    "-cp",
                    System.getProperty("java.class.path"),
                    EmbeddedServerMain.class.getName(),
                    data.toString(),
                    teamId))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).startsWith("READY");
    }
    child.destroyForcibly(); // SIGKILL: its PostgreSQL child is orphaned, still holding the
    // directory
    assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

    try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
        PostgresAdapters adapters = PostgresAdapters.start(db.config(1))) {
      assertThat(adapters.stores().teams().findById(teamId)).isPresent();
    }
  }
}

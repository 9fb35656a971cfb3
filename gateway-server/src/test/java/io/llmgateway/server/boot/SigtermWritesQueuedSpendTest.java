package io.llmgateway.server.boot;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.postgres.EmbeddedDatabase;
import java.io.IOException;
import java.io.Reader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gateway as operators run it ({@code bin/gateway}: its own JVM, embedded PostgreSQL), stopped
 * with SIGTERM while answered requests' spend is still queued. Found by the issue-18 benchmark: the
 * HTTP server's threads ended mid-shutdown, the JVM began exiting on its own, the embedded
 * database's exit hook stopped PostgreSQL under the settlement writer, the spend was lost (charged
 * in full later instead) and the writer retried against the dead database until the process was
 * killed. Here the spend rows are held back by a lock the test takes on {@code spend_log}, the
 * process gets SIGTERM, and the lock is released ten seconds later: every answered request's spend
 * must be in the database and the process must exit by itself.
 */
class SigtermWritesQueuedSpendTest {
  private static final int REQUESTS = 5;

  @TempDir Path dataDir;
  private Process gateway;

  @AfterEach
  void kill() {
    if (gateway != null && gateway.isAlive()) {
      gateway.destroyForcibly();
    }
  }

  @Test
  void sigtermWithSpendQueuedWritesItThenExits() throws Exception {
    int port = freePort();
    Path log = dataDir.resolveSibling(dataDir.getFileName() + "-gateway.log");
    ProcessBuilder pb =
        new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.llmgateway.server.Main")
            // The repository's root, where bin/gateway runs it: config/models.yaml,
            // config/tiers.yaml.
            .directory(Path.of("..").toAbsolutePath().normalize().toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    pb.environment().put("GATEWAY_MODE", "demo");
    pb.environment().put("GATEWAY_PROVIDER", "mock");
    pb.environment().put("GATEWAY_PORT", Integer.toString(port));
    pb.environment().put("GATEWAY_DATA_DIR", dataDir.toString());
    // Leases off, as the benchmark found it: a reservation per request, a settlement per answer.
    pb.environment().put("GATEWAY_BUDGET_LEASE_SECONDS", "0");
    gateway = pb.start();
    awaitLine(log, "Demo keys", Duration.ofSeconds(90));
    String key = demoKey("drafting");
    int pgPort =
        Integer.parseInt(
            Files.readAllLines(dataDir.resolve("postgres/postmaster.pid")).get(3).trim());
    String jdbc = "jdbc:postgresql://127.0.0.1:" + pgPort + "/gateway";

    try (Connection locker = DriverManager.getConnection(jdbc, "postgres", "")) {
      locker.setAutoCommit(false);
      try (Statement s = locker.createStatement()) {
        // Reservations and leases go on; only the spend rows (the settle) wait for the lock.
        s.execute("LOCK TABLE spend_log IN SHARE ROW EXCLUSIVE MODE");
      }
      // Closed before the SIGTERM, as curl's are: an idle keep-alive connection would hold the HTTP
      // server's stop (and so the race this test is about) until the lock below is gone.
      try (HttpClient http = HttpClient.newHttpClient()) {
        for (int i = 0; i < REQUESTS; i++) {
          HttpResponse<String> r =
              http.send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                      .header("Authorization", "Bearer " + key)
                      .header("Content-Type", "application/json")
                      .POST(
                          HttpRequest.BodyPublishers.ofString(
                              "{\"model\":\"model-cheap\",\"max_tokens\":16,"
                                  + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                      .timeout(Duration.ofSeconds(30))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        }
      }
      gateway.destroy(); // SIGTERM
      // Held past the moment the HTTP server's last thread (Javalin's keep-alive sleeper) notices
      // the stop: from then on, nothing but Main's own thread keeps the JVM from exiting.
      Thread.sleep(10_000);
      try {
        locker.rollback();
      } catch (java.sql.SQLException e) {
        // The old code had stopped the database under us by now; the counts below say so.
      }
    }

    boolean exited = gateway.waitFor(60, TimeUnit.SECONDS);
    String output = Files.readString(log);
    assertThat(exited)
        .as("the gateway exits by itself after SIGTERM; its log:\n%s", tail(output))
        .isTrue();
    assertThat(gateway.exitValue()).isZero();
    assertThat(output).doesNotContain("could not settle request");

    try (EmbeddedDatabase db = EmbeddedDatabase.start(dataDir.resolve("postgres"));
        Connection c = DriverManager.getConnection(db.jdbcUrl("gateway"), "postgres", "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM spend_log WHERE status = 'SUCCESS'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("answered requests with their spend written").isEqualTo(REQUESTS);
    }
  }

  private String demoKey(String tier) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(dataDir.resolve("demo-keys.properties"))) {
      p.load(r);
    }
    return p.getProperty("key." + tier);
  }

  private void awaitLine(Path log, String text, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < end && gateway.isAlive()) {
      if (Files.exists(log) && Files.readString(log).contains(text)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the gateway did not start: " + tail(Files.readString(log)));
  }

  private static String tail(String s) {
    List<String> lines = s.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.server.support.GatewayStack;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Stopping the server lets a running stream finish and settles it. */
class GracefulShutdownTest {

  @Test
  void closeWaitsForTheInFlightStreamAndSettlesIt() throws Exception {
    GatewayStack stack = GatewayStack.start();
    try {
      String key = stack.userKey("drafting");
      stack.stub.enqueue(
          StubResponse.slowStream(Collections.nCopies(20, "w "), Duration.ofMillis(50), 8, 20));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(stack.server.baseUrl() + "/v1/chat/completions"))
              .header("Authorization", "Bearer " + key)
              .POST(
                  HttpRequest.BodyPublishers.ofString(
                      "{\"model\":\"model-cheap\",\"stream\":true,"
                          + "\"messages\":[{\"role\":\"user\",\"content\":\"go\"}]}"))
              .build();
      CompletableFuture<HttpResponse<String>> response =
          stack.http().sendAsync(request, HttpResponse.BodyHandlers.ofString());
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (stack.server.services().inFlight().streams() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(stack.server.services().inFlight().streams()).isEqualTo(1);

      stack.server.close(); // blocks until the stream is done (grace: 25 s)

      HttpResponse<String> r = response.get();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).endsWith("data: [DONE]\n\n");
      assertThat(statuses(stack)).isEqualTo(List.of(SpendStatus.SUCCESS));
    } finally {
      stack.close();
    }
  }

  @Test
  void answersComeBeforeTheirSpendIsWrittenAndCloseWritesWhatIsStillQueued() throws Exception {
    GatewayStack stack = GatewayStack.start(); // the server's default: deferred settlement
    var db = stack.adapters.config();
    try (Connection blocker =
        DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password())) {
      String key = stack.userKey("drafting");
      // Holds off every write to spend_log (reads still work) until the blocker commits.
      blocker.setAutoCommit(false);
      blocker.createStatement().execute("LOCK TABLE spend_log IN EXCLUSIVE MODE");

      for (int i = 0; i < 5; i++) {
        HttpResponse<String> r =
            stack.post(
                "/v1/chat/completions",
                key,
                "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.statusCode()).isEqualTo(200);
      }
      assertThat(spendRows(blocker)).isZero();

      Thread release =
          Thread.ofVirtual()
              .start(
                  () -> {
                    try {
                      Thread.sleep(300);
                      blocker.commit();
                    } catch (Exception e) {
                      throw new IllegalStateException(e);
                    }
                  });
      stack.server.close(); // returns only once the queued settlements are written
      assertThat(spendRows(blocker)).isEqualTo(5);
      release.join();
      assertThat(statuses(stack)).hasSize(5).containsOnly(SpendStatus.SUCCESS);
    } finally {
      stack.close();
    }
  }

  private static List<SpendStatus> statuses(GatewayStack stack) {
    return stack.stores().spendLog().query(SpendQuery.all(PageRequest.first(10))).items().stream()
        .map(s -> s.status())
        .toList();
  }

  private static long spendRows(Connection c) throws Exception {
    try (var rs = c.createStatement().executeQuery("SELECT count(*) FROM spend_log")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}

package io.llmgateway.server.streams;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.DatabaseSettings;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A measurement, not a check (docs/PERFORMANCE.md "Streams at scale"): run with {@code
 * -Dstreams.run=5000} (and {@code JAVA_TOOL_OPTIONS=-Xmx1g}), it starts the gateway and the stub,
 * writes the base URL and a key to {@code target/streams-run.txt} for {@link SseLoad} (run in its
 * own process), and prints the peak of open streams, heap used and RSS until every stream ended.
 */
@EnabledIfSystemProperty(named = "streams.run", matches = "\\d+")
class ManyStreamsRunTest {

  @Test
  void holdTheGatewayForAnExternalLoad() throws Exception {
    int n = Integer.getInteger("streams.run");
    ServerConfig base = ServerConfig.forTests();
    DatabaseSettings db = base.database();
    // 20 database connections (GATEWAY_DB_POOL_SIZE): with the tests' 5, admissions arriving
    // hundreds a second on this shared VM waited past the pool's 3 s and got 503.
    ServerConfig config =
        base.toBuilder()
            .database(
                new DatabaseSettings(
                    db.url(),
                    db.dataDir(),
                    Integer.getInteger("streams.dbPool", 20),
                    db.settlement(),
                    db.leaseWindow(),
                    db.requestLogRetention()))
            .build();
    try (GatewayStack stack = GatewayStack.start(config, s -> s)) {
      Money lots = Money.ofUsd("1000000");
      // Many users, as real traffic has: each admits against its own budget lease (a single
      // user's thousands of concurrent requests would each reserve in the database instead).
      List<String> keys = new java.util.ArrayList<>();
      for (int i = 0; i < Math.max(1, n / 50); i++) {
        keys.add(
            stack
                .userKey("drafting", List.of(BudgetLimit.daily(lots), BudgetLimit.monthly(lots)))
                .plaintext());
      }
      String key = String.join(",", keys);
      List<String> words = Collections.nCopies(Integer.getInteger("streams.words", 10), "word ");
      for (int i = 0; i < n; i++) {
        stack.stub.enqueue(StubResponse.slowStream(words, Duration.ofSeconds(1), 5, 10));
      }
      Files.writeString(Path.of("target", "streams-run.txt"), stack.server.baseUrl() + " " + key);
      long peakStreams = 0;
      long peakHeap = 0;
      long peakRss = 0;
      long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
      Runtime rt = Runtime.getRuntime();
      while (System.nanoTime() < deadline) {
        long open = stack.server.services().inFlight().streams();
        peakStreams = Math.max(peakStreams, open);
        peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
        peakRss = Math.max(peakRss, rss());
        if (stack.stub.requestCount() >= n && open == 0) {
          break;
        }
        Thread.sleep(200);
      }
      System.gc();
      System.out.printf(
          "ManyStreamsRunTest: %d requests at the stub, peak %d streams open at once, peak heap"
              + " used %d MiB (max %d MiB), after GC %d MiB, peak RSS %d MiB%n",
          stack.stub.requestCount(),
          peakStreams,
          peakHeap >> 20,
          rt.maxMemory() >> 20,
          (rt.totalMemory() - rt.freeMemory()) >> 20,
          peakRss >> 20);
    }
  }

  private static long rss() throws java.io.IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return 0;
  }
}

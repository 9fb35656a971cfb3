package io.llmgateway.bedrock;

import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.provider.ModelProvider;
import io.llmgateway.core.provider.ProviderRequest;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * A manual measurement of the mock provider's cost, not a test. Run after {@code ./mvnw -pl
 * gateway-bedrock -am test-compile}:
 *
 * <pre>
 * java -cp gateway-core/target/classes:gateway-bedrock/target/classes:\
 *   gateway-bedrock/target/test-classes:$HOME/.m2/repository/org/slf4j/slf4j-api/2.0.17/slf4j-api-2.0.17.jar \
 *   io.llmgateway.bedrock.MockThroughput
 * </pre>
 */
final class MockThroughput {
  private MockThroughput() {}

  public static void main(String[] args) throws Exception {
    Deployment d = Fixtures.deployment("mock");
    ChatRequest r = ChatRequest.of("model-cheap", "a typical short prompt for a load test");
    ModelProvider mock = Providers.mock(MockSettings.defaults());
    for (int round = 0; round < 3; round++) {
      int n = 200_000;
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        mock.complete(new ProviderRequest("r", d, r, 64));
      }
      long t1 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        try (ChatStream s = mock.stream(new ProviderRequest("r", d, r, 64))) {
          while (s.next().isPresent()) {
            // drain
          }
        }
      }
      long t2 = System.nanoTime();
      System.out.printf(
          "round %d, one thread, 16 tokens: complete %.0f/s, drained streams %.0f/s%n",
          round, n / ((t1 - t0) / 1e9), n / ((t2 - t1) / 1e9));
    }
    ModelProvider slow =
        Providers.mock(new MockSettings(Duration.ofMillis(50), Duration.ofMillis(5), 16));
    int total = 20_000;
    Semaphore concurrency = new Semaphore(2_000);
    long t0 = System.nanoTime();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < total; i++) {
        concurrency.acquire();
        pool.submit(
            () -> {
              try (ChatStream s = slow.stream(new ProviderRequest("r", d, r, 64))) {
                while (s.next().isPresent()) {
                  // drain
                }
              } finally {
                concurrency.release();
              }
            });
      }
    }
    System.out.printf(
        "virtual threads, 2000 concurrent, 50 ms first token + 15 x 5 ms: %.0f streams/s%n",
        total / ((System.nanoTime() - t0) / 1e9));
  }
}

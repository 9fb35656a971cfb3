package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.Billed;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.server.support.GatewayStack;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Upstream work the client never got whole is still billed by Bedrock, and the gateway must charge
 * at least that: the stub bills every answer it starts in full (as Bedrock does), and the spend log
 * (real PostgreSQL) must cover it, without the day's budget being exceeded by what was billed. A
 * drafting user ($0.017 a day, Nova Micro) sends long prompts with {@code max_tokens} 5000.
 */
class UpstreamChargingTest {
  private static final Money DRAFTING_DAY = Money.ofUsd("0.017");
  // 10,000 two-byte words: a 20 KB prompt whose echo is 5,000 output tokens.
  private static final String LONG_PROMPT = "a ".repeat(10_000).trim();

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(UpstreamChargingTest.class);

  static GatewayStack stack;

  @BeforeAll
  static void start() {
    stack = GatewayStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void reset() {
    stack.stub.reset();
  }

  @Test
  void answersCutHalfwayAreChargedAtLeastWhatWasBilledAndBilledStaysWithinTheBudget()
      throws Exception {
    IssuedKey key = stack.userKey("drafting", List.of());
    for (int i = 0; i < 60; i++) {
      stack.stub.enqueue(StubResponse.echoCutHalfway());
    }

    int answered = 0;
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> r = stack.post("/v1/chat/completions", key.plaintext(), body(false));
      if (r.statusCode() == 200) {
        answered++;
      }
    }

    assertThat(answered).as("every answer was cut").isZero();
    Money billed = billed();
    Money spent = spent(key);
    log.info(
        "cut answers: {} calls billed {}, spend log {}", stack.stub.billed().size(), billed, spent);
    assertThat(stack.stub.billed()).as("some calls were made").isNotEmpty();
    assertThat(billed)
        .as("billed by the upstream within the day")
        .isLessThanOrEqualTo(DRAFTING_DAY);
    assertThat(spent).as("the spend log covers what was billed").isGreaterThanOrEqualTo(billed);
  }

  @Test
  void streamsCutAfterTheirFirstChunkAreChargedAtLeastWhatWasBilled() throws Exception {
    IssuedKey key = stack.userKey("drafting", List.of());
    for (int i = 0; i < 48; i++) {
      stack.stub.enqueue(StubResponse.echoPausingAfterFirstChunk(Duration.ofMillis(300)));
    }

    List<Future<Boolean>> streams = new ArrayList<>();
    try (ExecutorService four = Executors.newFixedThreadPool(4)) {
      for (int i = 0; i < 48; i++) {
        streams.add(four.submit(() -> cutAfterFirstChunk(key.plaintext())));
      }
    }
    long cut = 0;
    for (Future<Boolean> f : streams) {
      cut += f.get() ? 1 : 0;
    }

    assertThat(cut).as("streams admitted and cut").isPositive();
    awaitNoStreams();
    Money billed = billed();
    Money spent = spent(key);
    List<SpendRecord> rows = rows(key);
    log.info("cut streams: {} cut, billed {}, spend log {}", cut, billed, spent);
    assertThat(rows).extracting(SpendRecord::status).contains(SpendStatus.CANCELLED);
    assertThat(billed)
        .as("billed by the upstream within the day")
        .isLessThanOrEqualTo(DRAFTING_DAY);
    assertThat(spent).as("the spend log covers what was billed").isGreaterThanOrEqualTo(billed);
  }

  /** Opens a stream, reads up to its first content chunk, hangs up; false if it was refused. */
  private static boolean cutAfterFirstChunk(String key) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.server.baseUrl() + "/v1/chat/completions"))
            .timeout(Duration.ofSeconds(30))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body(true)))
            .build();
    HttpResponse<InputStream> response =
        stack.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = response.body()) {
      if (response.statusCode() != 200) {
        return false;
      }
      BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (line.contains("\"content\":\"echo")) {
          return true; // hang up after the first content chunk
        }
      }
      throw new AssertionError("the stream ended before its first content chunk");
    }
  }

  private static String body(boolean stream) {
    return "{\"model\":\"model-cheap\",\"max_tokens\":5000,\"stream\":"
        + stream
        + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + LONG_PROMPT
        + "\"}]}";
  }

  /** What the stub billed, at Nova Micro's prices. */
  private static Money billed() {
    Pricing nova =
        stack
            .stores()
            .catalog()
            .model("model-cheap")
            .orElseThrow()
            .deployments()
            .getFirst()
            .pricing();
    Money total = Money.ZERO;
    for (Billed b : stack.stub.billed()) {
      total = total.plus(nova.cost(TokenUsage.reported(b.inputTokens(), b.outputTokens())));
    }
    return total;
  }

  private static Money spent(IssuedKey key) {
    Money total = Money.ZERO;
    for (SpendRecord r : rows(key)) {
      total = total.plus(r.cost());
    }
    return total;
  }

  private static List<SpendRecord> rows(IssuedKey key) {
    assertThat(stack.server.services().gateway().flushSettlements(Duration.ofSeconds(10))).isTrue();
    Optional<String> user = key.key().userId();
    return stack.stores().spendLog().query(SpendQuery.all(PageRequest.first(1000))).items().stream()
        .filter(s -> s.userId().equals(user))
        .toList();
  }

  /** Streams settle when the server notices the hang-up and has drained them. */
  private static void awaitNoStreams() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline
        && (stack.server.services().inFlight().streams() > 0
            || stack.server.services().inFlight().requests() > 0)) {
      Thread.sleep(20);
    }
    assertThat(stack.server.services().inFlight().streams()).isZero();
  }
}

package io.llmgateway.server.streams;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.server.DatabaseSettings;
import io.llmgateway.server.HttpSettings;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.TimingSettings;
import io.llmgateway.server.support.GatewayStack;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Streams against the machine's limits: past the Bedrock bound a request is refused at once (503,
 * retry-after, nothing charged), and a client that stops reading pauses the upstream (bounded
 * memory) until the write timeout, when the upstream is cancelled and the request charged.
 */
class StreamBackpressureTest {
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    ServerConfig base = ServerConfig.forTests();
    TimingSettings t = base.timings();
    DatabaseSettings db = base.database();
    ServerConfig config =
        base.toBuilder()
            // No budget leases: every request reserves in the database, so "reserved is back to
            // zero" below is this request's reservation released, not a lease's slice.
            .database(
                new DatabaseSettings(
                    db.url(),
                    db.dataDir(),
                    db.poolSize(),
                    db.settlement(),
                    Duration.ZERO,
                    db.requestLogRetention()))
            // A stalled write fails after 2 s; a cut stream is not drained for its usage.
            .http(HttpSettings.builder().requestTimeout(Duration.ofSeconds(2)).build())
            .timings(
                new TimingSettings(
                    t.sweepInterval(),
                    t.shutdownGrace(),
                    t.authCacheTtl(),
                    t.probeTimeout(),
                    t.reservationTtl(),
                    Duration.ZERO))
            .build();
    stack = GatewayStack.start(config, s -> s.toBuilder().maxConnections(2).build());
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void resetStub() {
    stack.stub.reset();
  }

  private static IssuedKey richKey() {
    Money lots = Money.ofUsd("1000");
    return stack.userKey("drafting", List.of(BudgetLimit.daily(lots), BudgetLimit.monthly(lots)));
  }

  @Test
  void streamsReadToTheirEndGiveTheirPlaceUnderTheBoundBack() throws Exception {
    // Found by the issue-18 time-to-first-token benchmark: a stream that ended normally never
    // closed its upstream call (SettlingStream.close() returned early once settled), so each one
    // kept its place under the bound; after as many streams as the bound (4,096 with a 512 MiB
    // heap) every Bedrock call of the instance was refused with 503. The bound here is 2.
    IssuedKey key = richKey();
    String base = stack.server.baseUrl();
    for (int i = 0; i < 6; i++) {
      try (SseClient s = SseClient.open(base, key.plaintext(), "model-cheap", "stream " + i)) {
        String all = s.readAll();
        assertThat(all).as("stream %d", i).startsWith("HTTP/1.1 200").contains("data: [DONE]");
      }
    }
    var blocking =
        stack.post(
            "/v1/chat/completions",
            key.plaintext(),
            "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    assertThat(blocking.statusCode()).as(blocking.body()).isEqualTo(200);
  }

  @Test
  void pastTheBedrockBoundARequestIsRefusedAtOnceWith503RetryAfterAndNothingCharged()
      throws Exception {
    IssuedKey holder = richKey();
    List<String> words = Collections.nCopies(10, "word ");
    stack.stub.enqueue(
        StubResponse.slowStream(words, Duration.ofSeconds(1), 5, 10),
        StubResponse.slowStream(words, Duration.ofSeconds(1), 5, 10));
    String base = stack.server.baseUrl();
    try (SseClient one = SseClient.open(base, holder.plaintext(), "model-cheap", "one");
        SseClient two = SseClient.open(base, holder.plaintext(), "model-cheap", "two")) {
      assertThat(one.read(12)).isEqualTo("HTTP/1.1 200");
      assertThat(two.read(12)).isEqualTo("HTTP/1.1 200");

      IssuedKey refused = richKey();
      long start = System.nanoTime();
      var blocking =
          stack.post(
              "/v1/chat/completions",
              refused.plaintext(),
              "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
      String streamed;
      try (SseClient third = SseClient.open(base, refused.plaintext(), "model-cheap", "three")) {
        streamed = third.readAll();
      }
      // Not the pool's 2 s wait for a connection (the stub's connect timeout) and a 502.
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(blocking.statusCode()).isEqualTo(503);
      assertThat(blocking.headers().firstValue("retry-after")).contains("1");
      assertThat(blocking.body())
          .contains("\"code\":\"provider_unavailable\"")
          .contains("concurrent Bedrock calls");
      assertThat(streamed).startsWith("HTTP/1.1 503").containsIgnoringCase("retry-after: 1");
      assertThat(stack.stub.requestCount()).isEqualTo(2);

      // Releases travel with the deferred settlements: wait until they are written.
      stack.server.services().gateway().flushSettlements(Duration.ofSeconds(10));
      CounterBalance b = daily(refused.key().userId().orElseThrow());
      assertThat(b.reserved().nanos()).as("reservation released").isZero();
      assertThat(b.committed().nanos()).as("nothing charged").isZero();
    }
  }

  @Test
  void aClientThatStopsReadingPausesTheUpstreamUntilTheWriteTimeoutThenItIsCancelledAndCharged()
      throws Exception {
    IssuedKey key = richKey();
    String userId = key.key().userId().orElseThrow();
    // 200 MB of answer if read to the end: far more than every socket buffer on the way holds.
    String chunk = "x".repeat(1_000);
    stack.stub.enqueue(StubResponse.longStream(chunk, 200_000, 5, 200_000));
    long start = System.nanoTime();
    try (SseClient c =
        SseClient.open(stack.server.baseUrl(), key.plaintext(), "model-cheap", "talk", 4_096)) {
      assertThat(c.read(12)).isEqualTo("HTTP/1.1 200");
      // ... and now it reads nothing more. The gateway's write blocks (its buffers are bounded),
      // so it stops reading Bedrock: the stub's writes block in turn, and it never finishes.
      assertThat(stack.stub.awaitAbortedStream(Duration.ofSeconds(20)))
          .as("the upstream was cancelled, not read to its end into memory")
          .isTrue();
    }
    SpendRecord spend = stack.awaitSettledSpend(userId, Duration.ofSeconds(10));
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .as("the stalled write gave up after the 2 s write timeout")
        .isLessThan(Duration.ofSeconds(15));
    assertThat(spend.status()).isEqualTo(SpendStatus.CANCELLED);
    assertThat(spend.errorCode()).contains("client_disconnected");
    // No usage came: charged its worst case (the 5,000-token cap covers what was generated).
    assertThat(spend.cost().nanos()).isPositive();
    CounterBalance b = daily(userId);
    assertThat(b.reserved().nanos()).as("reservation released").isZero();
    assertThat(b.committed()).isEqualTo(spend.cost());
    assertThat(stack.server.services().inFlight().streams()).isZero();
  }

  private static CounterBalance daily(String userId) {
    CounterKey daily =
        new CounterKey(
            BudgetScope.user(userId),
            BudgetWindow.DAILY,
            BudgetWindow.DAILY
                .periodAt(stack.clock.instant(), stack.server.services().config().zone())
                .key());
    return stack.stores().ledger().balances(List.of(daily)).get(daily);
  }
}

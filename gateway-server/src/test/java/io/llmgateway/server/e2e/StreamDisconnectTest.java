package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
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
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client that hangs up mid-stream: the upstream is drained for its usage for a bounded time, then
 * cancelled, and the request charged its usage or, without it, its worst case.
 */
class StreamDisconnectTest {
  static GatewayStack stack;

  @BeforeAll
  static void start() {
    stack = GatewayStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void clientDisconnectCancelsUpstreamChargesTheWorstCaseWithoutUsageAndReleasesTheReservation()
      throws Exception {
    IssuedKey key = stack.userKey("drafting", List.of());
    String userId = key.key().userId().orElseThrow();
    List<String> words = new ArrayList<>(Collections.nCopies(200, "word "));
    stack.stub.enqueue(StubResponse.slowStream(words, Duration.ofMillis(50), 40, 200));

    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stack.server.baseUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key.plaintext())
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"model-cheap\",\"stream\":true,"
                        + "\"messages\":[{\"role\":\"user\",\"content\":\"talk\"}]}"))
            .build();
    HttpResponse<InputStream> response =
        stack.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
    InputStream body = response.body();
    BufferedReader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    int contentChunks = 0;
    while (contentChunks < 5) {
      String line = reader.readLine();
      assertThat(line).isNotNull();
      if (line.contains("\"content\":\"word")) {
        contentChunks++;
      }
    }
    body.close(); // hang up mid-stream

    assertThat(stack.stub.awaitAbortedStream(Duration.ofSeconds(15)))
        .as("the gateway abandoned the upstream stream")
        .isTrue();
    SpendRecord spend = stack.awaitSettledSpend(userId, Duration.ofSeconds(15));
    assertThat(spend.status()).isEqualTo(SpendStatus.CANCELLED);
    assertThat(spend.errorCode()).contains("client_disconnected");
    // The rest of the answer (and its usage) comes 50 ms a word, 10 s in all: longer than the
    // 5 s the gateway drains a cut stream for, so the stream is charged its worst case, which
    // covers the 40 + 200 tokens the upstream bills for the whole generation.
    assertThat(spend.usage()).as("no usage arrived within the drain").isEmpty();
    assertThat(spend.cost().nanos()).isGreaterThanOrEqualTo(40 * 35 + 200 * 140);

    CounterKey daily =
        new CounterKey(
            BudgetScope.user(userId),
            BudgetWindow.DAILY,
            BudgetWindow.DAILY
                .periodAt(stack.clock.instant(), stack.server.services().config().zone())
                .key());
    // The request may have been admitted against a budget lease (the seed's tiers take them):
    // giving back the instance's idle leases leaves exactly this request's hold to look at.
    stack.server.services().gateway().flushSettlements(Duration.ofSeconds(10));
    CounterBalance balance = stack.stores().ledger().balances(List.of(daily)).get(daily);
    assertThat(balance.reserved().nanos()).as("reservation released").isZero();
    assertThat(balance.committed()).isEqualTo(spend.cost());
    assertThat(stack.server.services().inFlight().streams()).isZero();
    long deadline = System.nanoTime() + 5_000_000_000L;
    while (stack.server.services().inFlight().requests() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertThat(stack.server.services().inFlight().requests())
        .as("the abandoned request is no longer counted (shutdown would wait for it)")
        .isZero();
  }

  @Test
  void upstreamFailureMidStreamEndsWithAnErrorEventAndSettles() throws Exception {
    IssuedKey key = stack.userKey("drafting", List.of());
    String userId = key.key().userId().orElseThrow();
    stack.stub.enqueue(
        StubResponse.inStreamException(List.of("Hel", "lo"), "throttlingException", "slow down"));

    java.net.http.HttpResponse<String> r =
        stack.post(
            "/v1/chat/completions",
            key.plaintext(),
            "{\"model\":\"model-cheap\",\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("\"content\":\"Hel\"").contains("data: {\"error\":");
    assertThat(r.body()).doesNotContain("[DONE]");
    SpendRecord spend = stack.awaitSettledSpend(userId, Duration.ofSeconds(10));
    assertThat(spend.status()).isEqualTo(SpendStatus.ERROR);
    CounterKey daily =
        new CounterKey(
            BudgetScope.user(userId),
            BudgetWindow.DAILY,
            BudgetWindow.DAILY
                .periodAt(stack.clock.instant(), stack.server.services().config().zone())
                .key());
    stack.server.services().gateway().flushSettlements(Duration.ofSeconds(10));
    assertThat(stack.stores().ledger().balances(List.of(daily)).get(daily).reserved().nanos())
        .as("reservation released")
        .isZero();
  }
}

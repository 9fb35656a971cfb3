package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.server.support.GatewayStack;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, hole 1, as a hostile drafting user tried it: text the input bound did not count (a
 * json_schema description, control characters the adapter sends escaped six times longer) made
 * requests cost more than their reservation. Whatever is admitted, what the Bedrock stub billed
 * (its reported usage at the model's prices; the stub bills tool definitions and the JSON-schema
 * tool as Bedrock does) never exceeds the user's daily budget.
 */
class HostileInputBudgetTest {
  /** config/tiers.yaml: a drafting member's daily budget. */
  static final Money DRAFTING_DAY = Money.ofUsd("0.017");

  /** config/models.yaml: model-cheap (Nova Micro) per 1M tokens. */
  static final Pricing MODEL_CHEAP = Pricing.perMillionUsd("0.035", "0.14");

  static final ObjectMapper JSON = new ObjectMapper();
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
  void resetStub() {
    stack.stub.reset();
  }

  @Test
  void tenParallelRequestsWithAHugeJsonSchemaDescriptionStayWithinTheDailyBudget()
      throws Exception {
    String key = stack.userKey("drafting");
    ObjectNode body = hi();
    ObjectNode schema = body.putObject("response_format").put("type", "json_schema");
    schema
        .putObject("json_schema")
        .put("name", "answer")
        .put("description", "Answer briefly. ".repeat(25_000))
        .putObject("schema")
        .put("type", "object");
    byte[] request = JSON.writeValueAsBytes(body);

    List<Integer> statuses = parallel(10, key, request);

    assertThat(statuses).as("a budget refusal or an answer").allMatch(s -> s == 200 || s == 429);
    assertThat(statuses).as("the first request fits the day").contains(200);
    assertThat(billed()).as("billed by the stub").isLessThanOrEqualTo(DRAFTING_DAY);
  }

  @Test
  void aToolDescriptionOfControlCharactersIsRefusedOrBilledWithinTheDailyBudget() throws Exception {
    String key = stack.userKey("drafting");
    ObjectNode body = hi().put("max_tokens", 1);
    ObjectNode fn =
        body.putArray("tools").addObject().put("type", "function").putObject("function");
    fn.put("name", "noop").put("description", "\u0001".repeat(400_000));
    fn.putObject("parameters").put("type", "object");

    HttpResponse<String> r = stack.post("/v1/chat/completions", key, JSON.writeValueAsBytes(body));

    assertThat(r.statusCode()).as(r.body()).isIn(200, 429);
    assertThat(billed()).as("billed by the stub").isLessThanOrEqualTo(DRAFTING_DAY);
  }

  private static ObjectNode hi() {
    ObjectNode body = JSON.createObjectNode().put("model", "model-cheap");
    body.putArray("messages").addObject().put("role", "user").put("content", "hi");
    return body;
  }

  /** Sends {@code n} copies of a request at once; their HTTP statuses. */
  private static List<Integer> parallel(int n, String key, byte[] request) throws Exception {
    CountDownLatch go = new CountDownLatch(1);
    List<Future<Integer>> results = new ArrayList<>();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < n; i++) {
        results.add(
            pool.submit(
                () -> {
                  go.await();
                  return stack.post("/v1/chat/completions", key, request).statusCode();
                }));
      }
      go.countDown();
      List<Integer> statuses = new ArrayList<>();
      for (Future<Integer> f : results) {
        statuses.add(f.get());
      }
      return statuses;
    }
  }

  /** What the stub billed: each answer's reported usage at model-cheap's prices. */
  private static Money billed() {
    Money total = Money.ZERO;
    for (io.llmgateway.bedrock.stub.Billed b : stack.stub.billed()) {
      total =
          total.plus(
              MODEL_CHEAP.cost(
                  new TokenUsage(
                      b.inputTokens(),
                      b.outputTokens(),
                      b.cacheReadTokens(),
                      b.cacheWriteTokens(),
                      TokenUsage.Source.REPORTED)));
    }
    return total;
  }
}

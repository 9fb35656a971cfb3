package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
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
import io.llmgateway.server.support.SharedStack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/responses} under the budget guarantee, through the same core admission as chat: a
 * budget that cannot pay is refused before any upstream call, {@code max_output_tokens} is clamped
 * to what the budget can pay exactly as chat's {@code max_tokens} is, a mid-stream upstream fault
 * ends in {@code response.failed} and still settles, and bad input is refused with OpenAI's 400
 * naming the parameter and nothing written (no upstream call, no spend row, no reservation).
 */
class ResponsesGuaranteeTest extends SharedStack {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void aBudgetThatCannotPayIsRefusedBeforeAnyUpstreamCall() {
    IssuedKey key =
        stack.userKey("drafting", List.of(BudgetLimit.daily(Money.ofUsd("0.00000001"))));
    OpenAIClient client = stack.client(key.plaintext());

    assertThatThrownBy(
            () ->
                client
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model("model-cheap")
                            .input("x".repeat(10_000))
                            .build()))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(429);
              assertThat(e.code()).contains("budget_exceeded");
              assertThat(e.headers().values("x-budget-window")).containsExactly("daily");
            });
    assertThat(stack.stub.requestCount()).isZero();
    assertThat(stack.spendOf(key)).isEmpty();
  }

  @Test
  void maxOutputTokensIsClampedToTheBudgetExactlyAsChatMaxTokensIs() throws Exception {
    // $0.0004 pays for the input bound (82 tokens x 35 nano-USD) and about 2,800 output tokens
    // of model-cheap (140 nano-USD each), below its 5,000-token output limit.
    List<BudgetLimit> small = List.of(BudgetLimit.daily(Money.ofUsd("0.0004")));
    String chatKey = stack.userKey("drafting", small).plaintext();
    String responsesKey = stack.userKey("drafting", small).plaintext();

    stack.stub.enqueue(StubResponse.text("ok", 2, 1));
    HttpResponse<String> chat =
        stack.post(
            "/v1/chat/completions",
            chatKey,
            "{\"model\":\"model-cheap\",\"max_tokens\":5000,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertThat(chat.statusCode()).as(chat.body()).isEqualTo(200);
    int chatCap = sentMaxTokens();

    stack.stub.enqueue(StubResponse.text("ok", 2, 1));
    Response r =
        stack
            .client(responsesKey)
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("model-cheap")
                    .input("hi")
                    .maxOutputTokens(5000)
                    .build());
    int responsesCap = sentMaxTokens();

    assertThat(r.status()).contains(ResponseStatus.COMPLETED);
    assertThat(responsesCap).as("cap sent to Bedrock").isLessThan(5000).isPositive();
    assertThat(responsesCap).as("same clamp as chat").isEqualTo(chatCap);
    assertThat(r.maxOutputTokens()).contains(5000L);
  }

  @Test
  void midStreamFaultEndsWithResponseFailedAndStillSettles() throws Exception {
    IssuedKey key = stack.userKey("drafting", List.of());
    String userId = key.key().userId().orElseThrow();
    stack.stub.enqueue(
        StubResponse.inStreamException(List.of("Hel", "lo"), "throttlingException", "slow down"));

    List<ResponseStreamEvent> events =
        ResponsesApiTest.stream(
            stack.client(key.plaintext()),
            ResponseCreateParams.builder().model("model-cheap").input("hi").build());

    assertThat(ResponsesApiTest.types(events))
        .containsExactly(
            "created",
            "in_progress",
            "output_item.added",
            "content_part.added",
            "output_text.delta",
            "output_text.delta",
            "failed");
    ResponsesApiTest.assertSequenced(events);
    Response failed = events.getLast().asFailed().response();
    assertThat(failed.status()).contains(ResponseStatus.FAILED);
    assertThat(failed.error().orElseThrow().message()).isNotBlank().doesNotContain("Exception");
    SpendRecord spend = stack.awaitSettledSpend(userId, Duration.ofSeconds(10));
    assertThat(spend.status()).isEqualTo(SpendStatus.ERROR);
    assertThat(spend.requestId()).isEqualTo(failed.id());
    assertThat(stack.spendOf(key)).hasSize(1);
    assertThat(daily(userId).reserved().nanos()).as("reservation released").isZero();
  }

  @Test
  void previousResponseIdIsRefusedNamingTheParameter() {
    IssuedKey key = stack.userKey("drafting", List.of());
    OpenAIClient client = stack.client(key.plaintext());

    assertThatThrownBy(
            () ->
                client
                    .responses()
                    .create(
                        ResponseCreateParams.builder()
                            .model("model-cheap")
                            .input("hi")
                            .previousResponseId("resp_123")
                            .build()))
        .isInstanceOfSatisfying(
            BadRequestException.class,
            e -> {
              assertThat(e.param()).contains("previous_response_id");
              assertThat(e.getMessage()).contains("does not store responses");
            });
    assertThat(stack.stub.requestCount()).isZero();
  }

  @Test
  void badInputIsRefusedWith400NamingTheParameterAndNothingIsWritten() throws Exception {
    IssuedKey key = stack.userKey("drafting", List.of());
    String m = "\"model\":\"model-cheap\"";
    String[][] cases = {
      {"{" + m + "}", "input"},
      {"{" + m + ",\"input\":[]}", "input"},
      {"{" + m + ",\"input\":7}", "input"},
      {"{" + m + ",\"input\":\"hi\",\"temprature\":1}", "temprature"},
      {"{" + m + ",\"input\":\"hi\",\"api_base\":\"http://169.254.169.254\"}", "api_base"},
      {"{" + m + ",\"input\":\"hi\",\"tools\":[{\"type\":\"web_search\"}]}", "tools[0].type"},
      {"{" + m + ",\"input\":\"hi\",\"max_output_tokens\":0}", "max_output_tokens"},
      {
        "{" + m + ",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"yaml\"}}}", "text.format.type"
      },
      {
        "{" + m + ",\"input\":\"hi\",\"tool_choice\":{\"type\":\"file_search\"}}",
        "tool_choice.type"
      },
      {"{" + m + ",\"input\":\"hi\",\"truncation\":\"auto\"}", "truncation"},
      {"{" + m + ",\"input\":\"hi\",\"conversation\":\"conv_1\"}", "conversation"},
      {"{" + m + ",\"input\":[{\"type\":\"item_reference\",\"id\":\"msg_1\"}]}", "input[0].type"},
      {"{" + m + ",\"input\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", "input[0].role"},
      {
        "{" + m + ",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\"}]}]}",
        "input[0].content[0].type"
      },
      {
        "{"
            + m
            + ",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_image\","
            + "\"image_url\":\"http://169.254.169.254/x\"}]}]}",
        "input[0].content[0].image_url.url"
      },
      {
        "{" + m + ",\"input\":[{\"type\":\"function_call_output\",\"output\":\"x\"}]}",
        "input[0].call_id"
      },
    };
    for (String[] c : cases) {
      HttpResponse<String> r = stack.post("/v1/responses", key.plaintext(), c[0]);
      JsonNode error = JSON.readTree(r.body()).path("error");
      assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
      assertThat(error.path("type").asText()).as(c[0]).isEqualTo("invalid_request_error");
      assertThat(error.path("param").asText()).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(stack.stub.requestCount()).as("no upstream call").isZero();
    assertThat(stack.spendOf(key)).as("no spend row").isEmpty();
    CounterBalance balance = daily(key.key().userId().orElseThrow());
    assertThat(balance.reserved().nanos()).as("nothing reserved").isZero();
    assertThat(balance.committed().nanos()).as("nothing committed").isZero();
  }

  private static int sentMaxTokens() throws Exception {
    return JSON.readTree(stack.stub.lastRequest().body())
        .path("inferenceConfig")
        .path("maxTokens")
        .asInt();
  }

  private static CounterBalance daily(String userId) {
    stack.server.services().gateway().flushSettlements(Duration.ofSeconds(10));
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

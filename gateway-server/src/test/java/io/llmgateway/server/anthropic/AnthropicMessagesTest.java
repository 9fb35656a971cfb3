package io.llmgateway.server.anthropic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.models.messages.Base64ImageSource;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.ImageBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.server.support.GatewayStack;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic Java SDK against {@code /v1/messages} on the real server, real PostgreSQL
 * and the Bedrock adapter talking to the wire-format stub: what Claude Code does with
 * ANTHROPIC_BASE_URL pointed at the gateway.
 */
class AnthropicMessagesTest {
  static GatewayStack stack;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CONVERSE = "/model/" + ClaudeStack.PROFILE.replace(":", "%3A") + "/converse";

  @BeforeAll
  static void start() {
    stack = ClaudeStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void resetStub() {
    stack.stub.reset();
  }

  private static MessageCreateParams.Builder hello() {
    return MessageCreateParams.builder().model(ClaudeStack.MODEL).maxTokens(1024);
  }

  @Test
  void answersWithSystemOverXApiKeyAndChargesTheReportedUsage() throws Exception {
    AnthropicClient client = ClaudeStack.apiKeyClient(stack, stack.userKey(ClaudeStack.TIER));
    stack.stub.enqueue(StubResponse.text("Hello there!", 12, 4));

    Message m = client.messages().create(hello().system("Be brief.").addUserMessage("Hi").build());

    assertThat(m.content().getFirst().asText().text()).isEqualTo("Hello there!");
    assertThat(m.stopReason()).contains(StopReason.END_TURN);
    assertThat(m.usage().inputTokens()).isEqualTo(12);
    assertThat(m.usage().outputTokens()).isEqualTo(4);
    assertThat(m.model().asString()).isEqualTo(ClaudeStack.MODEL);
    assertThat(stack.stub.lastRequest().path()).isEqualTo(CONVERSE);
    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    assertThat(sent.at("/system/0/text").asText()).isEqualTo("Be brief.");
    assertThat(sent.at("/messages/0/content/0/text").asText()).isEqualTo("Hi");
    assertThat(sent.at("/inferenceConfig/maxTokens").asInt()).isEqualTo(1024);

    SpendRecord spend = stack.spendOf(m.id()).getFirst();
    assertThat(spend.status()).isEqualTo(SpendStatus.SUCCESS);
    // 12 x $3/1M + 4 x $15/1M = 36,000 + 60,000 nano-USD.
    assertThat(spend.cost().nanos()).isEqualTo(96_000);
  }

  @Test
  void acceptsTheKeyAsBearerAndRefusesAMissingKeyInAnthropicsShape() throws Exception {
    String key = stack.userKey(ClaudeStack.TIER);
    Message m =
        ClaudeStack.bearerClient(stack, key)
            .messages()
            .create(hello().addUserMessage("one two").build());
    assertThat(m.content().getFirst().asText().text()).isEqualTo("echo: one two");

    assertThatThrownBy(
            () ->
                ClaudeStack.apiKeyClient(stack, "sk-wrong-key-000000000000")
                    .messages()
                    .create(hello().addUserMessage("x").build()))
        .isInstanceOfSatisfying(
            UnauthorizedException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(401);
              assertThat(e.body().toString()).contains("authentication_error");
            });
    var raw = stack.post("/v1/messages", null, "{}".getBytes(), "anthropic-version", "2023-06-01");
    assertThat(raw.statusCode()).isEqualTo(401);
    JsonNode body = JSON.readTree(raw.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.at("/error/type").asText()).isEqualTo("authentication_error");
  }

  @Test
  void roundTripsAToolCall() throws Exception {
    AnthropicClient client = ClaudeStack.apiKeyClient(stack, stack.userKey(ClaudeStack.TIER));
    stack.stub.enqueue(
        StubResponse.toolUse("tooluse_1", "get_weather", "{\"city\":\"Paris\"}", 30, 10),
        StubResponse.text("It is sunny in Paris.", 50, 7));
    Tool tool =
        Tool.builder()
            .name("get_weather")
            .description("Weather by city")
            .inputSchema(
                Tool.InputSchema.builder()
                    .properties(JsonValue.from(Map.of("city", Map.of("type", "string"))))
                    .build())
            .build();

    MessageCreateParams first = hello().addTool(tool).addUserMessage("Weather in Paris?").build();
    Message call = client.messages().create(first);
    assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
    ToolUseBlock use = call.content().getLast().asToolUse();
    assertThat(use.id()).isEqualTo("tooluse_1");
    assertThat(use.name()).isEqualTo("get_weather");
    assertThat(use._input().toString()).contains("Paris");

    Message answer =
        client
            .messages()
            .create(
                first.toBuilder()
                    .addMessage(call)
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder()
                                    .toolUseId("tooluse_1")
                                    .content("sunny, 24C")
                                    .build())))
                    .build());
    assertThat(answer.content().getFirst().asText().text()).isEqualTo("It is sunny in Paris.");
    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    assertThat(sent.at("/toolConfig/tools/0/toolSpec/name").asText()).isEqualTo("get_weather");
    assertThat(sent.at("/messages/1/content/0/toolUse/input/city").asText()).isEqualTo("Paris");
    assertThat(sent.at("/messages/2/content/0/toolResult/toolUseId").asText())
        .isEqualTo("tooluse_1");
    assertThat(sent.at("/messages/2/content/0/toolResult/content/0/text").asText())
        .isEqualTo("sunny, 24C");
  }

  @Test
  void sendsABase64ImageAsAConverseImageBlock() throws Exception {
    AnthropicClient client = ClaudeStack.apiKeyClient(stack, stack.userKey(ClaudeStack.TIER));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    client
        .messages()
        .create(
            hello()
                .addUserMessageOfContentBlockParams(
                    List.of(
                        ContentBlockParam.ofImage(
                            ImageBlockParam.builder()
                                .source(
                                    Base64ImageSource.builder()
                                        .data(Base64.getEncoder().encodeToString(png))
                                        .mediaType(Base64ImageSource.MediaType.IMAGE_PNG)
                                        .build())
                                .build()),
                        ContentBlockParam.ofText(
                            TextBlockParam.builder().text("What is this?").build())))
                .build());
    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    assertThat(sent.at("/messages/0/content/0/image/format").asText()).isEqualTo("png");
    assertThat(
            Base64.getDecoder()
                .decode(sent.at("/messages/0/content/0/image/source/bytes").asText()))
        .isEqualTo(png);
    assertThat(sent.at("/messages/0/content/1/text").asText()).isEqualTo("What is this?");
  }

  @Test
  void streamsAnthropicEventsWithTheUsageInMessageDelta() {
    AnthropicClient client = ClaudeStack.apiKeyClient(stack, stack.userKey(ClaudeStack.TIER));
    stack.stub.enqueue(StubResponse.stream(List.of("One ", "two ", "three."), 20, 3));
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> s =
        client.messages().createStreaming(hello().addUserMessage("Count").build())) {
      s.stream().forEach(events::add);
    }
    List<String> kinds = events.stream().map(AnthropicMessagesTest::kind).toList();
    assertThat(kinds)
        .containsExactly(
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop");
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(RawMessageStreamEvent::isContentBlockDelta)
        .forEach(e -> e.asContentBlockDelta().delta().text().ifPresent(t -> text.append(t.text())));
    assertThat(text.toString()).isEqualTo("One two three.");
    var delta = events.get(6).asMessageDelta();
    assertThat(delta.delta().stopReason()).contains(StopReason.END_TURN);
    assertThat(delta.usage().inputTokens()).contains(20L);
    assertThat(delta.usage().outputTokens()).isEqualTo(3);
    String id = events.getFirst().asMessageStart().message().id();
    assertThat(stack.stub.lastRequest().isStream()).isTrue();
    assertThat(stack.spendOf(id).getFirst().status()).isEqualTo(SpendStatus.SUCCESS);
  }

  private static String kind(RawMessageStreamEvent e) {
    if (e.isMessageStart()) return "message_start";
    if (e.isContentBlockStart()) return "content_block_start";
    if (e.isContentBlockDelta()) return "content_block_delta";
    if (e.isContentBlockStop()) return "content_block_stop";
    if (e.isMessageDelta()) return "message_delta";
    if (e.isMessageStop()) return "message_stop";
    return "?";
  }

  @Test
  void refusesAnExhaustedBudgetInAnthropicsShapeBeforeAnyModelCall() throws Exception {
    String key =
        stack
            .userKey(ClaudeStack.TIER, List.of(BudgetLimit.daily(Money.ofUsd("0.000001"))))
            .plaintext();
    AnthropicClient client = ClaudeStack.apiKeyClient(stack, key);
    assertThatThrownBy(() -> client.messages().create(hello().addUserMessage("Hi").build()))
        .isInstanceOfSatisfying(
            RateLimitException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(429);
              assertThat(e.body().toString()).contains("rate_limit_error").contains("budget");
              assertThat(e.headers().values("x-should-retry")).containsExactly("false");
              assertThat(e.headers().values("x-budget-window")).containsExactly("daily");
            });
    // No model call (a refused large prompt may have been counted first: not billed).
    assertThat(stack.stub.requests())
        .noneMatch(r -> r.path().endsWith("/converse") || r.path().endsWith("/converse-stream"));
  }

  @Test
  void clampsMaxTokensToTheModelsLimitAndToTheBudget() throws Exception {
    AnthropicClient rich = ClaudeStack.apiKeyClient(stack, stack.userKey(ClaudeStack.TIER));
    rich.messages().create(hello().maxTokens(500_000).addUserMessage("Hi").build());
    assertThat(
            JSON.readTree(stack.stub.lastRequest().body()).at("/inferenceConfig/maxTokens").asInt())
        .isEqualTo(64_000);

    // $0.01 affords at most 666 output tokens at $15/1M, less the input's worst case.
    String key =
        stack
            .userKey(ClaudeStack.TIER, List.of(BudgetLimit.daily(Money.ofUsd("0.01"))))
            .plaintext();
    ClaudeStack.apiKeyClient(stack, key)
        .messages()
        .create(hello().maxTokens(4096).addUserMessage("Hi").build());
    int sent =
        JSON.readTree(stack.stub.lastRequest().body()).at("/inferenceConfig/maxTokens").asInt();
    assertThat(sent).isPositive().isLessThan(667);
  }

  @Test
  void mapsCacheControlToCachePointsAndChargesCacheWritesAndReads() throws Exception {
    AnthropicClient client = ClaudeStack.apiKeyClient(stack, stack.userKey(ClaudeStack.TIER));
    stack.stub.enqueue(StubResponse.text("Cached.", "end_turn", 10, 5, 2_000, 3_000));
    CacheControlEphemeral cache = CacheControlEphemeral.builder().build();
    Message m =
        client
            .messages()
            .create(
                hello()
                    .systemOfTextBlockParams(
                        List.of(
                            TextBlockParam.builder()
                                .text("Long rules")
                                .cacheControl(cache)
                                .build()))
                    .addTool(
                        Tool.builder()
                            .name("lookup")
                            .inputSchema(Tool.InputSchema.builder().build())
                            .cacheControl(cache)
                            .build())
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofText(
                                TextBlockParam.builder()
                                    .text("Big doc")
                                    .cacheControl(cache)
                                    .build()),
                            ContentBlockParam.ofText(
                                TextBlockParam.builder().text("Question?").build())))
                    .build());

    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    assertThat(sent.at("/system/1/cachePoint/type").asText()).isEqualTo("default");
    assertThat(sent.at("/toolConfig/tools/1/cachePoint/type").asText()).isEqualTo("default");
    assertThat(sent.at("/messages/0/content/0/text").asText()).isEqualTo("Big doc");
    assertThat(sent.at("/messages/0/content/1/cachePoint/type").asText()).isEqualTo("default");
    assertThat(sent.at("/messages/0/content/2/text").asText()).isEqualTo("Question?");

    assertThat(m.usage().cacheReadInputTokens()).contains(2_000L);
    assertThat(m.usage().cacheCreationInputTokens()).contains(3_000L);
    assertThat(m.usage().inputTokens()).isEqualTo(10);
    SpendRecord spend = stack.spendOf(m.id()).getFirst();
    assertThat(spend.usage().orElseThrow().cacheWriteTokens()).isEqualTo(3_000);
    // 10 x $3 + 5 x $15 + 2,000 x $0.30 + 3,000 x $3.75 per 1M tokens (Bedrock's Claude billing).
    assertThat(spend.cost().nanos()).isEqualTo(30_000 + 75_000 + 600_000 + 11_250_000);
  }

  @Test
  void countsTokensThroughBedrockCountTokensOnTheFoundationModelId() throws Exception {
    AnthropicClient client = ClaudeStack.apiKeyClient(stack, stack.userKey(ClaudeStack.TIER));
    long n =
        client
            .messages()
            .countTokens(
                MessageCountTokensParams.builder()
                    .model(ClaudeStack.MODEL)
                    .system("Be brief.")
                    .addUserMessage("How many tokens is this?")
                    .build())
            .inputTokens();
    assertThat(stack.stub.lastRequest().path())
        .isEqualTo("/model/anthropic.claude-sonnet-4-5-20250929-v1%3A0/count-tokens");
    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    assertThat(sent.at("/input/converse/system/0/text").asText()).isEqualTo("Be brief.");
    assertThat(sent.at("/input/converse/inferenceConfig").isMissingNode()).isTrue();
    // The stub counts what its echo would bill: the 33 billable bytes at four per token.
    assertThat(n).isEqualTo((9 + 24 + 3) / 4);
    assertThat(stack.stub.billed()).isEmpty();
  }
}

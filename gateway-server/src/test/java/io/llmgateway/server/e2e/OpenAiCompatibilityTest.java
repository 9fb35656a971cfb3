package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.FunctionDefinition;
import com.openai.models.FunctionParameters;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartImage;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionFunctionTool;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.models.Model;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.server.support.GatewayStack;
import io.llmgateway.server.support.SharedStack;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK against the real server, real PostgreSQL and the Bedrock adapter
 * talking to the wire-format stub.
 */
class OpenAiCompatibilityTest extends SharedStack {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void answersABlockingCompletionAndChargesTheReportedUsage() {
    OpenAIClient client = stack.client(stack.userKey("drafting"));
    stack.stub.enqueue(StubResponse.text("Hello there!", 12, 4));

    ChatCompletion c =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("model-cheap")
                    .addUserMessage("Hello!")
                    .build());

    assertThat(c.choices().getFirst().message().content()).contains("Hello there!");
    assertThat(c.choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(c.model()).isEqualTo("model-cheap");
    assertThat(c.usage().orElseThrow().promptTokens()).isEqualTo(12);
    assertThat(c.usage().orElseThrow().completionTokens()).isEqualTo(4);
    assertThat(stack.stub.lastRequest().path())
        .isEqualTo("/model/us.amazon.nova-micro-v1%3A0/converse");

    SpendRecord spend = stack.spendOf(c.id()).getFirst();
    assertThat(spend.status()).isEqualTo(SpendStatus.SUCCESS);
    // 12 x $0.035/1M + 4 x $0.14/1M = 420 + 560 nano-USD.
    assertThat(spend.cost().nanos()).isEqualTo(980);
  }

  @Test
  void streamsChunksInOpenAiFormatWithUsageLast() {
    OpenAIClient client = stack.client(stack.userKey("coding"));
    stack.stub.enqueue(StubResponse.stream(List.of("One ", "two ", "three."), 20, 3));
    List<ChatCompletionChunk> chunks = new ArrayList<>();

    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("model-balanced")
                    .addUserMessage("Count to three")
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      stream.stream().forEach(chunks::add);
    }

    StringBuilder text = new StringBuilder();
    chunks.stream()
        .flatMap(ch -> ch.choices().stream())
        .forEach(ch -> ch.delta().content().ifPresent(text::append));
    assertThat(text.toString()).isEqualTo("One two three.");
    assertThat(chunks.getFirst().choices().getFirst().delta().role()).isPresent();
    ChatCompletionChunk last = chunks.getLast();
    assertThat(last.choices()).isEmpty();
    assertThat(last.usage().orElseThrow().totalTokens()).isEqualTo(23);
    assertThat(
            chunks.stream()
                .flatMap(ch -> ch.choices().stream())
                .filter(ch -> ch.finishReason().isPresent())
                .count())
        .isEqualTo(1);
    assertThat(stack.stub.lastRequest().isStream()).isTrue();
    assertThat(stack.spendOf(chunks.getFirst().id()).getFirst().status())
        .isEqualTo(SpendStatus.SUCCESS);
  }

  @Test
  void roundTripsAToolCall() throws Exception {
    OpenAIClient client = stack.client(stack.userKey("architect"));
    stack.stub.enqueue(
        StubResponse.toolUse("tooluse_1", "get_weather", "{\"city\":\"Paris\"}", 30, 10),
        StubResponse.text("It is sunny in Paris.", 50, 7));
    ChatCompletionFunctionTool tool =
        ChatCompletionFunctionTool.builder()
            .function(
                FunctionDefinition.builder()
                    .name("get_weather")
                    .description("Weather by city")
                    .parameters(
                        FunctionParameters.builder()
                            .putAdditionalProperty("type", JsonValue.from("object"))
                            .putAdditionalProperty(
                                "properties",
                                JsonValue.from(Map.of("city", Map.of("type", "string"))))
                            .build())
                    .build())
            .build();
    ChatCompletionCreateParams first =
        ChatCompletionCreateParams.builder()
            .model("model-reasoning")
            .addUserMessage("Weather in Paris?")
            .addTool(tool)
            .build();

    ChatCompletion call = client.chat().completions().create(first);

    assertThat(call.choices().getFirst().finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageFunctionToolCall fn =
        call.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction();
    assertThat(fn.id()).isEqualTo("tooluse_1");
    assertThat(fn.function().name()).isEqualTo("get_weather");
    assertThat(JSON.readTree(fn.function().arguments()).get("city").asText()).isEqualTo("Paris");

    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                first.toBuilder()
                    .addMessage(call.choices().getFirst().message())
                    .addMessage(
                        ChatCompletionToolMessageParam.builder()
                            .toolCallId(fn.id())
                            .content("sunny, 21 C")
                            .build())
                    .build());

    assertThat(answer.choices().getFirst().message().content()).contains("It is sunny in Paris.");
    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    String converse = sent.toString();
    assertThat(converse).contains("\"toolUseId\":\"tooluse_1\"").contains("sunny, 21 C");
    assertThat(sent.path("toolConfig").path("tools").get(0).path("toolSpec").path("name").asText())
        .isEqualTo("get_weather");
  }

  @Test
  void sendsAnInlineImageToBedrockAsBytes() throws Exception {
    OpenAIClient client = stack.client(stack.userKey("drafting"));
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13, 'I', 'H', 'D', 'R'};
    String dataUrl = "data:image/png;base64," + Base64.getEncoder().encodeToString(png);

    ChatCompletion c =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("model-cheap")
                    .addUserMessageOfArrayOfContentParts(
                        List.of(
                            ChatCompletionContentPart.ofText(
                                ChatCompletionContentPartText.builder()
                                    .text("What is this?")
                                    .build()),
                            ChatCompletionContentPart.ofImageUrl(
                                ChatCompletionContentPartImage.builder()
                                    .imageUrl(
                                        ChatCompletionContentPartImage.ImageUrl.builder()
                                            .url(dataUrl)
                                            .build())
                                    .build())))
                    .build());

    assertThat(c.choices()).hasSize(1);
    JsonNode content =
        JSON.readTree(stack.stub.lastRequest().body()).path("messages").get(0).path("content");
    JsonNode image = null;
    for (JsonNode block : content) {
      if (block.has("image")) {
        image = block.get("image");
      }
    }
    assertThat(image).isNotNull();
    assertThat(image.path("format").asText()).isEqualTo("png");
    assertThat(Base64.getDecoder().decode(image.path("source").path("bytes").asText()))
        .isEqualTo(png);
  }

  @Test
  void listsOnlyTheModelsOfTheKeysTier() {
    assertThat(modelIds(stack.userKey("drafting"))).containsExactly("model-cheap");
    assertThat(modelIds(stack.userKey("coding"))).containsExactly("model-balanced");
    assertThat(modelIds(stack.userKey("architect"))).containsExactly("model-reasoning");
    assertThat(modelIds(stack.userKey("retrieval"))).containsExactly("model-embed");
    assertThat(modelIds(GatewayStack.MASTER_KEY))
        .containsExactlyInAnyOrder(
            "model-cheap",
            "model-balanced",
            "model-reasoning",
            "model-embed",
            "model-claude-sonnet",
            "model-claude-haiku",
            "model-nova2-lite");
  }

  @Test
  void retrievesAnAllowedModelAndHidesOthers() {
    OpenAIClient client = stack.client(stack.userKey("drafting"));
    Model m = client.models().retrieve("model-cheap");
    assertThat(m.id()).isEqualTo("model-cheap");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> client.models().retrieve("model-reasoning"))
        .isInstanceOf(com.openai.errors.NotFoundException.class);
  }

  private static List<String> modelIds(String key) {
    return stack.client(key).models().list().data().stream().map(Model::id).toList();
  }
}

package io.llmgateway.bedrock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.chat.ToolDefinition;
import io.llmgateway.core.error.InvalidRequestException;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What Bedrock receives: the exact request bodies the stub recorded. */
class BedrockRequestMappingTest extends StubTestBase {

  private static final ToolDefinition WEATHER =
      new ToolDefinition(
          "get_weather",
          Optional.of("Get weather"),
          "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
              + "\"required\":[\"city\"]}");

  @Test
  void sendsMaxTokensAndSystemSeparatelyToThePercentEncodedModelPath() throws Exception {
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(List.of(new Message.System("You are terse."), Message.User.text("hi")))
            .build();

    bedrock.complete(Fixtures.request(deployment(), r, 321));

    assertThat(stub.lastRequest().path()).isEqualTo(Fixtures.NOVA_MICRO_PATH);
    assertThat(stub.lastRequest().header("Authorization"))
        .hasValueSatisfying(a -> assertThat(a).startsWith("AWS4-HMAC-SHA256"));
    assertThat(lastBody().toString())
        .isEqualTo(
            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}],"
                + "\"system\":[{\"text\":\"You are terse.\"}],"
                + "\"inferenceConfig\":{\"maxTokens\":321}}");
  }

  @Test
  void streamsToTheConverseStreamPathWithTheSameBody() throws Exception {
    try (var s = bedrock.stream(Fixtures.ask(deployment(), "hi"))) {
      drain(s);
    }
    assertThat(stub.lastRequest().path())
        .isEqualTo("/model/us.amazon.nova-micro-v1%3A0/converse-stream");
    assertThat(lastBody().path("inferenceConfig").path("maxTokens").asInt()).isEqualTo(256);
  }

  @Test
  void sendsSamplingValuesTopKForNovaAndDropsEmptyStopSequences() throws Exception {
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(List.of(Message.User.text("hi")))
            .temperature(0.25)
            .topP(0.5)
            .topK(20)
            .stop(List.of("END", ""))
            .build();

    bedrock.complete(Fixtures.request(deployment(), r, 100));

    JsonNode body = lastBody();
    assertThat(body.path("inferenceConfig").toString())
        .isEqualTo(
            "{\"maxTokens\":100,\"temperature\":0.25,\"topP\":0.5,\"stopSequences\":[\"END\"]}");
    assertThat(body.path("additionalModelRequestFields").toString())
        .isEqualTo("{\"inferenceConfig\":{\"topK\":20}}");
  }

  @Test
  void sendsToolsWithTheirSchemaIntactAndMapsToolChoices() throws Exception {
    ChatRequest.Builder b =
        ChatRequest.builder("model-cheap")
            .messages(List.of(Message.User.text("Weather in Paris?")))
            .tools(List.of(WEATHER));

    bedrock.complete(Fixtures.request(deployment(), b.build(), 100));
    JsonNode tools = lastBody().path("toolConfig");
    assertThat(tools.path("tools").get(0).toString())
        .isEqualTo(
            "{\"toolSpec\":{\"name\":\"get_weather\",\"description\":\"Get weather\","
                + "\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":"
                + "{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}}");
    assertThat(tools.path("toolChoice").toString()).isEqualTo("{\"auto\":{}}");

    bedrock.complete(
        Fixtures.request(deployment(), b.toolChoice(ToolChoice.REQUIRED).build(), 100));
    assertThat(lastBody().path("toolConfig").path("toolChoice").toString())
        .isEqualTo("{\"any\":{}}");

    bedrock.complete(
        Fixtures.request(
            deployment(), b.toolChoice(new ToolChoice.Named("get_weather")).build(), 100));
    assertThat(lastBody().path("toolConfig").path("toolChoice").toString())
        .isEqualTo("{\"tool\":{\"name\":\"get_weather\"}}");
  }

  @Test
  void toolChoiceNoneWithoutToolHistoryDeclaresNoTools() throws Exception {
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(List.of(Message.User.text("hi")))
            .tools(List.of(WEATHER))
            .toolChoice(ToolChoice.NONE)
            .build();

    bedrock.complete(Fixtures.request(deployment(), r, 100));

    assertThat(lastBody().has("toolConfig")).isFalse();
  }

  @Test
  void refusesToolChoiceNoneWhenTheHistoryHasToolCalls() {
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(toolHistory())
            .tools(List.of(WEATHER))
            .toolChoice(ToolChoice.NONE)
            .build();

    assertThatThrownBy(() -> bedrock.complete(Fixtures.request(deployment(), r, 100)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("tool_choice"));
    assertThat(stub.requestCount()).isZero();
  }

  @Test
  void mergesTurnsAndPutsToolResultsIntoTheUserTurn() throws Exception {
    ChatRequest r =
        ChatRequest.builder("model-cheap").messages(toolHistory()).tools(List.of(WEATHER)).build();

    bedrock.complete(Fixtures.request(deployment(), r, 100));

    assertThat(lastBody().path("messages").toString())
        .isEqualTo(
            "[{\"role\":\"user\",\"content\":[{\"text\":\"Weather in Paris?\"},"
                + "{\"text\":\"And be brief.\"}]},"
                + "{\"role\":\"assistant\",\"content\":[{\"text\":\"Let me check.\"},"
                + "{\"toolUse\":{\"toolUseId\":\"call_1\",\"name\":\"get_weather\","
                + "\"input\":{\"city\":\"Paris\"}}}]},"
                + "{\"role\":\"user\",\"content\":[{\"toolResult\":{\"toolUseId\":\"call_1\","
                + "\"content\":[{\"text\":\"18C sunny\"}]}},{\"text\":\"Thanks\"}]}]");
  }

  @Test
  void sendsImagesAsBase64Bytes() throws Exception {
    byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(
                List.of(
                    new Message.User(
                        List.of(
                            new ContentPart.Text("What is this?"),
                            new ContentPart.Image("png", png)))))
            .build();

    bedrock.complete(Fixtures.request(deployment(), r, 100));

    JsonNode image = lastBody().path("messages").get(0).path("content").get(1).path("image");
    assertThat(image.path("format").asText()).isEqualTo("png");
    assertThat(Base64.getDecoder().decode(image.path("source").path("bytes").asText()))
        .isEqualTo(png);
  }

  @Test
  void jsonSchemaResponseFormatForcesTheSyntheticToolAndAnswersWithItsInput() throws Exception {
    stub.enqueue(StubResponse.toolUse("tooluse_1", "json_tool_call", "{\"city\":\"Paris\"}", 9, 5));
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(List.of(Message.User.text("Which city?")))
            .responseFormat(
                new ResponseFormat.JsonSchema(
                    "city",
                    Optional.empty(),
                    "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}",
                    true))
            .build();

    var answer = bedrock.complete(Fixtures.request(deployment(), r, 100));

    JsonNode tools = lastBody().path("toolConfig");
    assertThat(tools.path("tools").get(0).path("toolSpec").path("name").asText())
        .isEqualTo("json_tool_call");
    assertThat(tools.path("tools").get(0).path("toolSpec").path("inputSchema").toString())
        .isEqualTo(
            "{\"json\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}");
    assertThat(tools.path("toolChoice").toString())
        .isEqualTo("{\"tool\":{\"name\":\"json_tool_call\"}}");
    assertThat(answer.text()).contains("{\"city\":\"Paris\"}");
    assertThat(answer.toolCalls()).isEmpty();
    assertThat(answer.finishReason().openAiName()).isEqualTo("stop");
  }

  @Test
  void aResponseFormatNextToToolsRequiresATool() throws Exception {
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(List.of(Message.User.text("Weather or JSON?")))
            .tools(List.of(WEATHER))
            .responseFormat(new ResponseFormat.JsonObject())
            .build();

    bedrock.complete(Fixtures.request(deployment(), r, 100));

    JsonNode tools = lastBody().path("toolConfig");
    assertThat(tools.path("tools").findValuesAsText("name"))
        .containsExactly("get_weather", "json_tool_call");
    assertThat(tools.path("toolChoice").toString()).isEqualTo("{\"any\":{}}");
  }

  @Test
  void jsonObjectResponseFormatStreamsTheToolInputAsText() {
    stub.enqueue(StubResponse.toolUse("tooluse_1", "json_tool_call", "{\"a\":1}", 9, 5));
    ChatRequest r =
        ChatRequest.builder("model-cheap")
            .messages(List.of(Message.User.text("JSON please")))
            .responseFormat(new ResponseFormat.JsonObject())
            .build();

    try (var s = bedrock.stream(Fixtures.request(deployment(), r, 100))) {
      var chunks = drain(s);
      assertThat(text(chunks)).isEqualTo("{\"a\":1}");
      assertThat(chunks)
          .noneMatch(c -> c instanceof io.llmgateway.core.chat.ChatChunk.ToolCallDelta);
    }
  }

  @Test
  void refusesWhatConverseCannotHonourBeforeCallingIt() {
    var hot =
        ChatRequest.builder("model-cheap")
            .messages(List.of(Message.User.text("hi")))
            .temperature(1.5)
            .build();
    assertThatThrownBy(() -> bedrock.complete(Fixtures.request(deployment(), hot, 10)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("temperature"));

    var assistantFirst =
        ChatRequest.builder("model-cheap")
            .messages(List.of(new Message.Assistant(Optional.of("Hello"), List.of())))
            .build();
    assertThatThrownBy(() -> bedrock.stream(Fixtures.request(deployment(), assistantFirst, 10)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("start with a user message");

    var toolsMissing = ChatRequest.builder("model-cheap").messages(toolHistory()).build();
    assertThatThrownBy(() -> bedrock.complete(Fixtures.request(deployment(), toolsMissing, 10)))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("tools"));

    assertThat(stub.requestCount()).isZero();
  }

  private static List<Message> toolHistory() {
    return List.of(
        Message.User.text("Weather in Paris?"),
        Message.User.text("And be brief."),
        new Message.Assistant(
            Optional.of("Let me check."),
            List.of(new ToolCall("call_1", "get_weather", "{\"city\":\"Paris\"}"))),
        new Message.Tool("call_1", "18C sunny"),
        Message.User.text("Thanks"));
  }
}

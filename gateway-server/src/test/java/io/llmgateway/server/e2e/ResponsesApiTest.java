package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.models.responses.EasyInputMessage;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFormatTextJsonSchemaConfig;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseInputItem;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseTextConfig;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.server.support.SharedStack;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI Java SDK's Responses client ({@code client.responses()}) against the real
 * server, real PostgreSQL and the Bedrock adapter talking to the wire-format stub: text, multi-turn
 * with instructions, a function tool round trip, json_schema output, and the streamed event
 * sequence. Every response and event is validated by the SDK's own model ({@code validate()}), so a
 * missing required field fails here as it would in a strict client.
 */
class ResponsesApiTest extends SharedStack {
  static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void answersTextAndChargesOneSpendRowUnderTheResponseId() {
    OpenAIClient client = stack.client(stack.userKey("drafting"));
    stack.stub.enqueue(StubResponse.text("Hello there!", 12, 4));

    Response r =
        client
            .responses()
            .create(ResponseCreateParams.builder().model("model-cheap").input("Hello!").build());

    r.validate();
    assertThat(r.id()).startsWith("resp_");
    assertThat(r.status()).contains(ResponseStatus.COMPLETED);
    assertThat(text(r)).isEqualTo("Hello there!");
    assertThat(r.usage().orElseThrow().inputTokens()).isEqualTo(12);
    assertThat(r.usage().orElseThrow().outputTokens()).isEqualTo(4);
    assertThat(r.usage().orElseThrow().totalTokens()).isEqualTo(16);
    assertThat(r.usage().orElseThrow().inputTokensDetails().cachedTokens()).isZero();
    assertThat(stack.stub.lastRequest().path())
        .isEqualTo("/model/us.amazon.nova-micro-v1%3A0/converse");
    List<SpendRecord> rows = stack.spendOf(r.id());
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst().status()).isEqualTo(SpendStatus.SUCCESS);
    // 12 x $0.035/1M + 4 x $0.14/1M = 420 + 560 nano-USD, as the same chat request costs.
    assertThat(rows.getFirst().cost().nanos()).isEqualTo(980);
  }

  @Test
  void sendsInstructionsAsSystemAndEveryTurnInOrder() throws Exception {
    OpenAIClient client = stack.client(stack.userKey("drafting"));
    stack.stub.enqueue(StubResponse.text("Paris, again.", 30, 3));

    Response r =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("model-cheap")
                    .instructions("Answer in two words.")
                    .inputOfResponse(
                        List.of(
                            message(EasyInputMessage.Role.USER, "Capital of France?"),
                            message(EasyInputMessage.Role.ASSISTANT, "Paris."),
                            message(EasyInputMessage.Role.USER, "And again?")))
                    .metadata(
                        ResponseCreateParams.Metadata.builder()
                            .putAdditionalProperty("ticket", JsonValue.from("T-1"))
                            .build())
                    .temperature(0.2)
                    .build());

    r.validate();
    assertThat(text(r)).isEqualTo("Paris, again.");
    assertThat(r.instructions().orElseThrow().asString()).isEqualTo("Answer in two words.");
    assertThat(r.metadata().orElseThrow()._additionalProperties().get("ticket"))
        .isEqualTo(JsonValue.from("T-1"));
    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    assertThat(sent.path("system").get(0).path("text").asText()).isEqualTo("Answer in two words.");
    JsonNode turns = sent.path("messages");
    assertThat(turns).hasSize(3);
    assertThat(turns.get(0).path("role").asText()).isEqualTo("user");
    assertThat(turns.get(1).path("role").asText()).isEqualTo("assistant");
    assertThat(turns.get(1).path("content").get(0).path("text").asText()).isEqualTo("Paris.");
    assertThat(turns.get(2).path("content").get(0).path("text").asText()).isEqualTo("And again?");
    assertThat(sent.path("inferenceConfig").path("temperature").asDouble()).isEqualTo(0.2);
  }

  @Test
  void roundTripsAFunctionCallAndItsOutput() throws Exception {
    OpenAIClient client = stack.client(stack.userKey("architect"));
    stack.stub.enqueue(
        StubResponse.toolUse("tooluse_1", "get_weather", "{\"city\":\"Paris\"}", 30, 10),
        StubResponse.text("It is sunny in Paris.", 50, 7));
    ResponseCreateParams first =
        ResponseCreateParams.builder()
            .model("model-reasoning")
            .inputOfResponse(List.of(message(EasyInputMessage.Role.USER, "Weather in Paris?")))
            .addTool(weatherTool())
            .build();

    Response call = client.responses().create(first);

    call.validate();
    ResponseFunctionToolCall fn =
        call.output().stream().flatMap(o -> o.functionCall().stream()).findFirst().orElseThrow();
    assertThat(fn.callId()).isEqualTo("tooluse_1");
    assertThat(fn.name()).isEqualTo("get_weather");
    assertThat(JSON.readTree(fn.arguments()).get("city").asText()).isEqualTo("Paris");
    assertThat(call.tools().getFirst().asFunction().name()).isEqualTo("get_weather");

    Response answer =
        client
            .responses()
            .create(
                first.toBuilder()
                    .inputOfResponse(
                        List.of(
                            message(EasyInputMessage.Role.USER, "Weather in Paris?"),
                            ResponseInputItem.ofFunctionCall(fn),
                            ResponseInputItem.ofFunctionCallOutput(
                                ResponseInputItem.FunctionCallOutput.builder()
                                    .callId(fn.callId())
                                    .output("sunny, 21 C")
                                    .build())))
                    .build());

    assertThat(text(answer)).isEqualTo("It is sunny in Paris.");
    JsonNode sent = JSON.readTree(stack.stub.lastRequest().body());
    assertThat(sent.toString()).contains("\"toolUseId\":\"tooluse_1\"").contains("sunny, 21 C");
    assertThat(sent.path("messages")).hasSize(3);
    assertThat(sent.path("toolConfig").path("tools").get(0).path("toolSpec").path("name").asText())
        .isEqualTo("get_weather");
  }

  @Test
  void mapsTextFormatJsonSchemaOntoTheCoreResponseFormat() throws Exception {
    OpenAIClient client = stack.client(stack.userKey("drafting"));
    stack.stub.enqueue(
        StubResponse.toolUse("tooluse_j", "json_tool_call", "{\"city\":\"Paris\"}", 20, 5));

    Response r =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("model-cheap")
                    .input("Where is the Louvre?")
                    .text(
                        ResponseTextConfig.builder()
                            .format(
                                ResponseFormatTextJsonSchemaConfig.builder()
                                    .name("place")
                                    .schema(
                                        ResponseFormatTextJsonSchemaConfig.Schema.builder()
                                            .putAdditionalProperty("type", JsonValue.from("object"))
                                            .putAdditionalProperty(
                                                "properties",
                                                JsonValue.from(
                                                    Map.of("city", Map.of("type", "string"))))
                                            .build())
                                    .strict(true)
                                    .build())
                            .build())
                    .build());

    r.validate();
    assertThat(JSON.readTree(text(r)).path("city").asText()).isEqualTo("Paris");
    JsonNode tool =
        JSON.readTree(stack.stub.lastRequest().body())
            .path("toolConfig")
            .path("tools")
            .get(0)
            .path("toolSpec");
    assertThat(tool.path("name").asText()).isEqualTo("json_tool_call");
    assertThat(tool.path("inputSchema").path("json").path("properties").has("city")).isTrue();
    assertThat(r.text().orElseThrow().format().orElseThrow().isJsonSchema()).isTrue();
  }

  @Test
  void streamsTheResponsesEventSequenceWithUsageLast() {
    OpenAIClient client = stack.client(stack.userKey("coding"));
    stack.stub.enqueue(StubResponse.stream(List.of("One ", "two ", "three."), 20, 3));

    List<ResponseStreamEvent> events =
        stream(
            client,
            ResponseCreateParams.builder().model("model-balanced").input("Count to three").build());

    assertThat(types(events))
        .containsExactly(
            "created",
            "in_progress",
            "output_item.added",
            "content_part.added",
            "output_text.delta",
            "output_text.delta",
            "output_text.delta",
            "output_text.done",
            "content_part.done",
            "output_item.done",
            "completed");
    assertSequenced(events);
    StringBuilder text = new StringBuilder();
    events.stream().flatMap(e -> e.outputTextDelta().stream()).forEach(d -> text.append(d.delta()));
    assertThat(text.toString()).isEqualTo("One two three.");
    assertThat(events.get(7).asOutputTextDone().text()).isEqualTo("One two three.");
    Response done = events.getLast().asCompleted().response();
    assertThat(done.usage().orElseThrow().totalTokens()).isEqualTo(23);
    assertThat(text(done)).isEqualTo("One two three.");
    assertThat(events.getFirst().asCreated().response().id()).isEqualTo(done.id());
    assertThat(stack.stub.lastRequest().isStream()).isTrue();
    List<SpendRecord> rows = stack.spendOf(done.id());
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst().status()).isEqualTo(SpendStatus.SUCCESS);
  }

  @Test
  void streamsAFunctionCallAsArgumentDeltas() throws Exception {
    OpenAIClient client = stack.client(stack.userKey("architect"));
    stack.stub.enqueue(
        StubResponse.toolUse("tooluse_7", "get_weather", "{\"city\":\"Oslo\"}", 30, 10));

    List<ResponseStreamEvent> events =
        stream(
            client,
            ResponseCreateParams.builder()
                .model("model-reasoning")
                .input("Weather in Oslo?")
                .addTool(weatherTool())
                .build());

    assertThat(types(events))
        .containsExactly(
            "created",
            "in_progress",
            "output_item.added",
            "function_call_arguments.delta",
            "function_call_arguments.delta",
            "function_call_arguments.done",
            "output_item.done",
            "completed");
    assertSequenced(events);
    assertThat(events.get(2).asOutputItemAdded().item().asFunctionCall().callId())
        .isEqualTo("tooluse_7");
    String args = events.get(5).asFunctionCallArgumentsDone().arguments();
    assertThat(JSON.readTree(args).path("city").asText()).isEqualTo("Oslo");
    ResponseFunctionToolCall fn =
        events.getLast().asCompleted().response().output().getFirst().asFunctionCall();
    assertThat(fn.name()).isEqualTo("get_weather");
    assertThat(fn.arguments()).isEqualTo(args);
  }

  static List<ResponseStreamEvent> stream(OpenAIClient client, ResponseCreateParams params) {
    try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params)) {
      List<ResponseStreamEvent> events = s.stream().toList();
      events.forEach(ResponseStreamEvent::validate);
      return events;
    }
  }

  /** Event types without the {@code response.} prefix. */
  static List<String> types(List<ResponseStreamEvent> events) {
    return events.stream()
        .map(e -> tree(e).path("type").asText())
        .map(t -> t.substring("response.".length()))
        .toList();
  }

  /** The event as the SDK's own mapper writes it (the variant validate() accepted). */
  private static JsonNode tree(ResponseStreamEvent e) {
    return com.openai.core.ObjectMappers.jsonMapper().valueToTree(e);
  }

  static void assertSequenced(List<ResponseStreamEvent> events) {
    for (int i = 0; i < events.size(); i++) {
      assertThat(tree(events.get(i)).path("sequence_number").asInt())
          .as("sequence_number of event " + i)
          .isEqualTo(i);
    }
  }

  static ResponseInputItem message(EasyInputMessage.Role role, String text) {
    return ResponseInputItem.ofEasyInputMessage(
        EasyInputMessage.builder().role(role).content(text).build());
  }

  static FunctionTool weatherTool() {
    return FunctionTool.builder()
        .name("get_weather")
        .description("Weather by city")
        .parameters(
            FunctionTool.Parameters.builder()
                .putAdditionalProperty("type", JsonValue.from("object"))
                .putAdditionalProperty(
                    "properties", JsonValue.from(Map.of("city", Map.of("type", "string"))))
                .build())
        .strict(false)
        .build();
  }

  static String text(Response r) {
    StringBuilder sb = new StringBuilder();
    for (ResponseOutputItem item : r.output()) {
      item.message()
          .ifPresent(
              m -> m.content().forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text()))));
    }
    return sb.toString();
  }
}

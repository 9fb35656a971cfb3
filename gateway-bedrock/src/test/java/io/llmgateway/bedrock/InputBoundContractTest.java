package io.llmgateway.bedrock;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.BillableText;
import io.llmgateway.core.GatewayConfig.InputAllowance;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.chat.ToolDefinition;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.internal.InputTokenBound;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The contract between the core's input bound and this adapter: for any request the writer accepts,
 * the bound (text alone, every allowance zero) is at least the billable bytes of the exact body
 * sent to Bedrock, as written there (escaped). {@link BillableText} counts every string of the body
 * except an explicit list of non-text paths, so a field the writer starts sending without the bound
 * counting it fails here first.
 */
class InputBoundContractTest {
  /** Text only: framing allowances may not paper over an uncounted field. */
  private static final InputAllowance TEXT_ONLY = new InputAllowance(0, 0, 0);

  @Property(tries = 1000)
  void theBoundCoversEveryBillableByteTheWriterSends(@ForAll("requests") ChatRequest request) {
    assertCovered(request);
  }

  @Provide
  Arbitrary<ChatRequest> requests() {
    return HostileRequests.request();
  }

  @Example
  void aJsonSchemaDescriptionIsCounted() {
    assertCovered(
        withFormat(
            new ResponseFormat.JsonSchema(
                "answer", Optional.of("d".repeat(400_000)), "{\"type\":\"object\"}", true)));
  }

  @Example
  void theJsonToolDescriptionThatRepeatsTheSchemaNameIsCounted() {
    assertCovered(
        withFormat(new ResponseFormat.JsonSchema("n".repeat(50_000), Optional.empty(), "", false)));
  }

  @Example
  void jsonObjectModeIsCounted() {
    assertCovered(withFormat(new ResponseFormat.JsonObject()));
  }

  @Example
  void controlCharactersAreCountedAsTheirSixByteEscapes() {
    ToolDefinition tool =
        new ToolDefinition("t", Optional.of("\u0001".repeat(400_000)), "{\"type\":\"object\"}");
    assertCovered(ChatRequest.builder("model-cheap").messages(hi()).tools(List.of(tool)).build());
  }

  @Example
  void emojiAreCountedAsTheEscapedSurrogatePairsJacksonWrites() {
    String emoji = "\ud83d\ude00".repeat(1_000);
    assertCovered(
        ChatRequest.builder("model-cheap")
            .messages(List.of(new Message.System(emoji), Message.User.text(emoji)))
            .stop(List.of(emoji))
            .build());
  }

  @Example
  void numbersRewrittenInALongerNotationAreCounted() {
    String schema =
        "{\"type\":\"object\",\"enum\":[1e-6,12e-7,99e9,12e5,120.0,1e5,9e-1,1e-6,1e-6,1e-6]}";
    ToolDefinition tool = new ToolDefinition("t", Optional.empty(), schema);
    ToolCall call = new ToolCall("c1", "t", "{\"x\":[1e-6,1e-6,1e-6,1e-6]}");
    assertCovered(
        ChatRequest.builder("model-cheap")
            .messages(
                List.of(
                    Message.User.text("hi"),
                    new Message.Assistant(Optional.empty(), List.of(call)),
                    new Message.Tool("c1", "\\\"\u2028")))
            .tools(List.of(tool))
            .build());
  }

  @Example
  void aSchemaWithoutATypeGainsTheTypeObjectTheWriterAdds() {
    ToolDefinition tool = new ToolDefinition("t", Optional.of("d"), "{}");
    assertCovered(ChatRequest.builder("model-cheap").messages(hi()).tools(List.of(tool)).build());
  }

  private static void assertCovered(ChatRequest request) {
    ConverseCall call;
    try {
      call =
          ConverseRequestWriter.map(Fixtures.request(Fixtures.deployment("bedrock"), request, 1));
    } catch (InvalidRequestException e) {
      Assume.that(false); // refused before any call: nothing is billed
      return;
    }
    long billable = BillableText.bytes(call.body());
    long bound = InputTokenBound.of(request, TEXT_ONLY);
    assertThat(bound)
        .as("input bound vs billable bytes of %s", abbreviate(call.body()))
        .isGreaterThanOrEqualTo(billable);
  }

  private static ChatRequest withFormat(ResponseFormat format) {
    return ChatRequest.builder("model-cheap").messages(hi()).responseFormat(format).build();
  }

  private static List<Message> hi() {
    return List.of(Message.User.text("hi"));
  }

  private static String abbreviate(byte[] body) {
    String s = new String(body, UTF_8);
    return s.length() <= 600 ? s : s.substring(0, 600) + "... (" + body.length + " bytes)";
  }
}

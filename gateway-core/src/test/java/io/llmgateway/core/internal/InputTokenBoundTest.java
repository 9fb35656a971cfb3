package io.llmgateway.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.GatewayConfig.InputAllowance;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.chat.ToolDefinition;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InputTokenBoundTest {
  private static final InputAllowance NONE = new InputAllowance(0, 0, 0);
  private static final String X = "x".repeat(1_000);

  @ParameterizedTest(name = "U+{0} counts {1} bytes")
  @CsvSource({
    "0041, 1", // A
    "007F, 1", // DEL is written raw
    "002F, 1", // '/' is not escaped
    "0000, 6", "0001, 6", "001F, 6", "0008, 2", // \b
    "0009, 2", // \t
    "000A, 2", // \n
    "000C, 2", // \f
    "000D, 2", // \r
    "0022, 2", // "
    "005C, 2", // backslash
    "0080, 2", "00E9, 2", "07FF, 2", "0800, 3", "20AC, 3", "2028, 3", // written raw by Jackson
    "2029, 3", "FEFF, 3", "FFFF, 3", "D800, 6", // a lone surrogate is escaped
    "DFFF, 6",
  })
  void countsEachCharacterAsItsJsonEscapedUtf8Length(String hex, int bytes) {
    assertThat(InputTokenBound.text(String.valueOf((char) Integer.parseInt(hex, 16))))
        .isEqualTo(bytes);
  }

  @Test
  void countsAnEmojiAsTheTwoEscapedSurrogatesJacksonWrites() {
    assertThat(InputTokenBound.text("\ud83d\ude00")).isEqualTo(12);
  }

  @Property(tries = 500)
  void textCountEqualsTheLengthOfAnIndependentlyEscapedString(@ForAll String s) {
    assertThat(InputTokenBound.text(s)).isEqualTo(escapedUtf8(s));
  }

  @Test
  void aJsonTextCountsItsBytesWithNumberCharactersTwiceAndTheAdapterAllowance() {
    String json = "{\"a\": [1e-6, null]}";
    // {"a": [ , null]} outside strings, "a" as written, and 1e-6 twice.
    long plain = json.length() - "1e-6".length();
    assertThat(InputTokenBound.json(json))
        .isEqualTo(plain + 2L * "1e-6".length() + InputTokenBound.JSON_TEXT_ADDED);
  }

  @Test
  void digitsInsideJsonStringsCountOnceAndEscapesAsWritten() {
    String json = "{\"k\":\"123 \\u0001 \\\" \\\\ \\ud83d\\ude00\"}";
    assertThat(InputTokenBound.json(json))
        .isEqualTo(json.length() + InputTokenBound.JSON_TEXT_ADDED);
  }

  @Test
  void rawCharactersInsideJsonStringsCountAsTheyAreWritten() {
    String json = "{\"k\":\"\u00e9\u2028\ud83d\ude00\"}";
    assertThat(InputTokenBound.json(json))
        .isEqualTo(8 + 2 + 3 + 12 + InputTokenBound.JSON_TEXT_ADDED);
  }

  @Test
  void anEmptyJsonTextStillCountsWhatTheAdapterAdds() {
    assertThat(InputTokenBound.json("")).isEqualTo(InputTokenBound.JSON_TEXT_ADDED);
  }

  @Test
  void allowancesAreAddedPerRequestMessageToolFormatAndImage() {
    InputAllowance a = new InputAllowance(100, 10, 1_000);
    ChatRequest r =
        base()
            .messages(
                List.of(
                    new Message.System(""),
                    new Message.User(
                        List.of(
                            new ContentPart.Image("png", new byte[] {1}),
                            new ContentPart.Text("")))))
            .tools(List.of(new ToolDefinition("t", Optional.empty(), "")))
            .responseFormat(new ResponseFormat.JsonObject())
            .build();
    long text = InputTokenBound.of(r, NONE);
    assertThat(InputTokenBound.of(r, a)).isEqualTo(text + 100 + 2 * 10 + 10 + 10 + 1_000);
  }

  @Test
  void theJsonSchemaDescriptionNameAndSchemaAreCounted() {
    grows(
        x -> base().responseFormat(new ResponseFormat.JsonSchema("n", Optional.of(x), "{}", true)),
        1);
    grows(
        x -> base().responseFormat(new ResponseFormat.JsonSchema(x, Optional.empty(), "", false)),
        2);
    grows(
        x ->
            base()
                .responseFormat(
                    new ResponseFormat.JsonSchema(
                        "n", Optional.empty(), "{\"d\":\"" + x + "\"}", false)),
        1);
  }

  @Test
  void responseFormatsCountTheFixedTextAnAdapterAdds() {
    long text = InputTokenBound.of(base().build(), NONE);
    assertThat(
            InputTokenBound.of(
                base().responseFormat(new ResponseFormat.JsonObject()).build(), NONE))
        .isEqualTo(text + InputTokenBound.RESPONSE_FORMAT_TEXT);
    assertThat(
            InputTokenBound.of(
                base()
                    .responseFormat(new ResponseFormat.JsonSchema("", Optional.empty(), "", false))
                    .build(),
                NONE))
        .isEqualTo(text + InputTokenBound.RESPONSE_FORMAT_TEXT + InputTokenBound.JSON_TEXT_ADDED);
  }

  @Test
  void toolNamesDescriptionsSchemasAndTheNamedChoiceAreCounted() {
    grows(x -> base().tools(List.of(new ToolDefinition("t", Optional.of(x), ""))), 1);
    grows(
        x -> base().tools(List.of(new ToolDefinition("t", Optional.empty(), "{\"" + x + "\":1}"))),
        1);
    String name = "n".repeat(64);
    long one =
        InputTokenBound.of(
            base().tools(List.of(new ToolDefinition("n", Optional.empty(), ""))).build(), NONE);
    long long64 =
        InputTokenBound.of(
            base().tools(List.of(new ToolDefinition(name, Optional.empty(), ""))).build(), NONE);
    assertThat(long64 - one).as("a tool name counts twice").isEqualTo(2 * 63);
    long named =
        InputTokenBound.of(
            base()
                .tools(List.of(new ToolDefinition(name, Optional.empty(), "")))
                .toolChoice(new ToolChoice.Named(name))
                .build(),
            NONE);
    assertThat(named - long64).as("the named tool choice").isEqualTo(64);
  }

  @Test
  void everyMessageTextIsCounted() {
    grows(x -> base().messages(List.of(new Message.System(x), Message.User.text("hi"))), 1);
    grows(x -> base().messages(List.of(Message.User.text(x))), 1);
    grows(x -> withHistory(new Message.Assistant(Optional.of(x), List.of())), 1);
    grows(x -> withHistory(new Message.Tool(x, "r")), 1);
    grows(x -> withHistory(new Message.Tool("id", x)), 1);
  }

  @Test
  void toolCallIdsNamesAndArgumentsAreCounted() {
    grows(x -> withHistory(call(new ToolCall(x, "f", "{}"))), 1);
    grows(x -> withHistory(call(new ToolCall("id", x, "{}"))), 2);
    grows(x -> withHistory(call(new ToolCall("id", "f", "{\"a\":\"" + x + "\"}"))), 1);
  }

  @Test
  void stopSequencesAreCounted() {
    grows(x -> base().stop(List.of(x, x)), 2);
  }

  @Test
  void controlCharactersInAToolDescriptionCountSixBytesEach() {
    String controls = "\u0001".repeat(400_000);
    long bound =
        InputTokenBound.of(
            base().tools(List.of(new ToolDefinition("t", Optional.of(controls), ""))).build(),
            NONE);
    assertThat(bound).isGreaterThanOrEqualTo(2_400_000);
  }

  @Test
  void allocatesNothingOnceWarm() {
    ChatRequest r =
        base()
            .messages(
                List.of(
                    new Message.System("be brief"),
                    Message.User.text(X),
                    call(new ToolCall("id", "f", "{\"a\":1}")),
                    new Message.Tool("id", "ok")))
            .tools(List.of(new ToolDefinition("f", Optional.of("d"), "{\"type\":\"object\"}")))
            .responseFormat(new ResponseFormat.JsonSchema("n", Optional.of("d"), "{}", true))
            .build();
    var threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long sink = 0;
    for (int i = 0; i < 20_000; i++) {
      sink += InputTokenBound.of(r, InputAllowance.DEFAULT);
    }
    long before = threads.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 10_000; i++) {
      sink += InputTokenBound.of(r, InputAllowance.DEFAULT);
    }
    long allocated = threads.getCurrentThreadAllocatedBytes() - before;
    assertThat(sink).isPositive();
    assertThat(allocated).as("bytes allocated by 10,000 bounds").isLessThan(10_000);
  }

  /** The bound grows by at least {@code times} bytes per byte of {@code x} put in the field. */
  private static void grows(Function<String, ChatRequest.Builder> field, int times) {
    long small = InputTokenBound.of(field.apply("x").build(), NONE);
    long large = InputTokenBound.of(field.apply(X).build(), NONE);
    assertThat(large - small).isGreaterThanOrEqualTo((long) times * (X.length() - 1));
  }

  private static ChatRequest.Builder base() {
    return ChatRequest.builder("m").messages(List.of(Message.User.text("hi")));
  }

  private static ChatRequest.Builder withHistory(Message m) {
    return base()
        .messages(List.of(Message.User.text("hi"), m))
        .tools(List.of(new ToolDefinition("f", Optional.empty(), "")));
  }

  private static Message.Assistant call(ToolCall c) {
    return new Message.Assistant(Optional.empty(), List.of(c));
  }

  /** JSON string escaping written out plainly, as a reference for {@link InputTokenBound#text}. */
  private static long escapedUtf8(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\t' -> sb.append("\\t");
        case '\n' -> sb.append("\\n");
        case '\f' -> sb.append("\\f");
        case '\r' -> sb.append("\\r");
        default -> {
          if (c < 0x20 || Character.isSurrogate(c)) {
            sb.append(String.format("\\u%04X", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8).length;
  }
}

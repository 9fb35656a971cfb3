package io.llmgateway.bedrock;

import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.chat.ToolDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generators of chat requests the Bedrock writer accepts, made of hostile text: control characters,
 * quotes, backslashes, U+2028, emoji, lone surrogates, JSON texts whose strings are escaped in
 * every style and whose numbers come in every notation. For the input-bound contract.
 */
final class HostileRequests {
  private HostileRequests() {}

  /** Pieces that stress JSON escaping and UTF-8 lengths. */
  static final List<String> PIECES =
      List.of(
          "a",
          "hi ",
          "Z9",
          "\u0000",
          "\u0001",
          "\u001f",
          "\b",
          "\t",
          "\n",
          "\f",
          "\r",
          "\"",
          "\\",
          "/",
          "\u007f",
          "\u0080",
          "\u00e9",
          "\u07ff",
          "\u0800",
          "\u20ac",
          "\u4e2d",
          "\u2028",
          "\u2029",
          "\ufeff",
          "\uffff",
          "\ud83d\ude00",
          "\ud800",
          "\udc00",
          "<",
          "&",
          "'",
          "`");

  static Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(
            6, Arbitraries.of(PIECES).list().ofMaxSize(24).map(l -> String.join("", l))),
        net.jqwik.api.Tuple.of(2, Arbitraries.strings().all().ofMaxLength(24)),
        net.jqwik.api.Tuple.of(1, Arbitraries.strings().ascii().ofMaxLength(40)));
  }

  static Arbitrary<String> nonEmptyText() {
    return text().filter(s -> !s.isBlank());
  }

  static Arbitrary<String> toolName() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withCharRange('0', '9')
        .withChars('_', '-')
        .ofMinLength(1)
        .ofMaxLength(64);
  }

  /** A JSON object text (a tool schema when {@code schema}: type absent or "object"). */
  static Arbitrary<String> jsonObject(boolean schema) {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(8, Arbitraries.randomValue(r -> JsonTexts.object(r, 0, schema))),
        net.jqwik.api.Tuple.of(1, Arbitraries.of("", " ", "{}")));
  }

  static Arbitrary<ToolDefinition> tool() {
    return Combinators.combine(toolName(), text().optional(), jsonObject(true))
        .as(ToolDefinition::new);
  }

  static Arbitrary<ToolCall> toolCall() {
    return Combinators.combine(text(), text(), jsonObject(false)).as(ToolCall::new);
  }

  static Arbitrary<ContentPart> part() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, nonEmptyText().map(t -> (ContentPart) new ContentPart.Text(t))),
        net.jqwik.api.Tuple.of(
            1,
            Arbitraries.bytes()
                .array(byte[].class)
                .ofMinSize(1)
                .ofMaxSize(64)
                .map(b -> (ContentPart) new ContentPart.Image("png", b))));
  }

  static Arbitrary<Message> message() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, text().map(t -> (Message) new Message.System(t))),
        net.jqwik.api.Tuple.of(3, part().list().ofMinSize(1).ofMaxSize(3).map(Message.User::new)),
        net.jqwik.api.Tuple.of(
            3,
            Combinators.combine(nonEmptyText().optional(), toolCall().list().ofMaxSize(2))
                .filter((t, c) -> t.isPresent() || !c.isEmpty())
                .as((t, c) -> (Message) new Message.Assistant(t, c))),
        net.jqwik.api.Tuple.of(
            2,
            Combinators.combine(text(), text()).as((id, c) -> (Message) new Message.Tool(id, c))));
  }

  static Arbitrary<ResponseFormat> responseFormat() {
    Arbitrary<ResponseFormat> schema =
        Combinators.combine(
                text(), text().optional(), jsonObject(true), Arbitraries.of(true, false))
            .as(ResponseFormat.JsonSchema::new);
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just(ResponseFormat.TEXT)),
        net.jqwik.api.Tuple.of(1, Arbitraries.just(new ResponseFormat.JsonObject())),
        net.jqwik.api.Tuple.of(3, schema));
  }

  /** A whole request: system first or not, a user turn first, any history, tools as needed. */
  static Arbitrary<ChatRequest> request() {
    return Combinators.combine(
            text().list().ofMaxSize(2),
            part().list().ofMinSize(1).ofMaxSize(3),
            message().list().ofMaxSize(8),
            tool().list().ofMaxSize(3),
            responseFormat(),
            text().list().ofMaxSize(ChatRequest.MAX_STOP_SEQUENCES),
            Arbitraries.integers().between(0, 3),
            Arbitraries.integers().between(1, 500).optional())
        .as(HostileRequests::assemble);
  }

  private static ChatRequest assemble(
      List<String> systems,
      List<ContentPart> first,
      List<Message> history,
      List<ToolDefinition> declared,
      ResponseFormat format,
      List<String> stop,
      Integer choice,
      Optional<Integer> topK) {
    List<Message> messages = new ArrayList<>();
    systems.forEach(s -> messages.add(new Message.System(s)));
    messages.add(new Message.User(first));
    messages.addAll(history);
    boolean toolHistory =
        history.stream()
            .anyMatch(
                m ->
                    m instanceof Message.Tool
                        || (m instanceof Message.Assistant a && !a.toolCalls().isEmpty()));
    List<ToolDefinition> tools = new ArrayList<>(declared);
    if (toolHistory && tools.isEmpty()) {
      // Bedrock needs the tools declared for a history with tool blocks.
      tools.add(new ToolDefinition("lookup", Optional.empty(), "{}"));
    }
    ToolChoice toolChoice =
        switch (tools.isEmpty() ? 0 : choice) {
          case 1 -> ToolChoice.REQUIRED;
          case 2 -> new ToolChoice.Named(tools.get(tools.size() - 1).name());
          case 3 -> toolHistory ? ToolChoice.AUTO : ToolChoice.NONE;
          default -> ToolChoice.AUTO;
        };
    ChatRequest.Builder b =
        ChatRequest.builder("model-cheap")
            .messages(messages)
            .tools(tools)
            .toolChoice(toolChoice)
            .responseFormat(format)
            .stop(stop);
    topK.ifPresent(b::topK);
    return b.build();
  }

  /** JSON texts written by hand, to control escapes, whitespace and number notation. */
  static final class JsonTexts {
    /** Numbers whose Jackson re-writing differs in length from the source (1e-6 → 0.000001). */
    static final List<String> NUMBERS =
        List.of(
            "0",
            "-0",
            "7",
            "-12",
            "1e5",
            "1E5",
            "12e5",
            "99e9",
            "1e-6",
            "12e-7",
            "99e-7",
            "120.0",
            "10.0",
            "-0.0",
            "1.5e0",
            "1E400",
            "1e+5",
            "0.0000001",
            "3.14159",
            "1.10",
            "9e-1",
            "123456789012345678901234567890",
            "5e-324",
            "1.7976931348623157e308");

    private JsonTexts() {}

    static String object(Random r, int depth, boolean schema) {
      StringBuilder sb = new StringBuilder("{");
      int n = r.nextInt(depth == 0 ? 5 : 3);
      boolean first = true;
      if (schema && r.nextBoolean()) {
        sb.append(ws(r)).append("\"type\"").append(ws(r)).append(':').append("\"object\"");
        first = false;
      }
      for (int i = 0; i < n; i++) {
        if (!first) {
          sb.append(',');
        }
        first = false;
        sb.append(ws(r)).append(string(r, key(r))).append(ws(r)).append(':').append(ws(r));
        value(r, depth + 1, sb);
      }
      return sb.append(ws(r)).append('}').toString();
    }

    private static void value(Random r, int depth, StringBuilder sb) {
      int kind = r.nextInt(depth < 3 ? 7 : 5);
      switch (kind) {
        case 0, 1 -> sb.append(string(r, key(r) + key(r)));
        case 2 -> sb.append(number(r));
        case 3 -> sb.append(List.of("true", "false", "null").get(r.nextInt(3)));
        case 4 -> sb.append(NUMBERS.get(r.nextInt(NUMBERS.size())));
        case 5 -> {
          sb.append('[');
          int n = r.nextInt(4);
          for (int i = 0; i < n; i++) {
            sb.append(i > 0 ? "," : "").append(ws(r));
            value(r, depth + 1, sb);
          }
          sb.append(']');
        }
        default -> sb.append(object(r, depth, false));
      }
    }

    private static String key(Random r) {
      StringBuilder k = new StringBuilder();
      int n = r.nextInt(5);
      for (int i = 0; i < n; i++) {
        k.append(PIECES.get(r.nextInt(PIECES.size())));
      }
      return k.toString();
    }

    /** A number in a random notation: digits, maybe a fraction, maybe an exponent. */
    private static String number(Random r) {
      StringBuilder n = new StringBuilder(r.nextBoolean() ? "" : "-");
      n.append(1 + r.nextInt(9));
      for (int i = r.nextInt(12); i > 0; i--) {
        n.append(r.nextInt(10));
      }
      if (r.nextBoolean()) {
        n.append('.').append(r.nextInt(10));
        for (int i = r.nextInt(6); i > 0; i--) {
          n.append(r.nextInt(3) == 0 ? 0 : r.nextInt(10));
        }
      }
      if (r.nextBoolean()) {
        n.append(r.nextBoolean() ? 'e' : 'E').append(List.of("", "+", "-").get(r.nextInt(3)));
        n.append(r.nextInt(400));
      }
      return n.toString();
    }

    /** A JSON string literal: escapes needed, optional ones, or every character escaped. */
    static String string(Random r, String s) {
      int style = r.nextInt(3);
      StringBuilder sb = new StringBuilder("\"");
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (style == 2 || c < 0x20 || (style == 1 && c > 0x7e)) {
          sb.append(String.format("\\u%04x", (int) c));
        } else if (c == '"' || c == '\\' || (style == 1 && c == '/')) {
          sb.append('\\').append(c);
        } else {
          sb.append(c);
        }
      }
      return sb.append('"').toString();
    }

    private static String ws(Random r) {
      return List.of("", "", "", " ", "\n\t ", "\r\n").get(r.nextInt(6));
    }
  }
}

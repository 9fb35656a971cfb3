package io.llmgateway.core.internal;

import io.llmgateway.core.GatewayConfig.InputAllowance;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.chat.ToolDefinition;
import java.util.List;

/**
 * An upper bound on the input tokens of a request, computed without a tokenizer: every token of a
 * byte-level BPE vocabulary decodes to at least one byte, so the bytes of the text the provider is
 * sent bound its text tokens; fixed allowances cover message framing and images.
 *
 * <p>The bytes counted are those a provider adapter writes into its JSON request body, escapes
 * included (a U+0001 goes out as a six-byte escape), for every text it sends: system, message text,
 * tool results, tool-call ids, names and arguments, tool names, descriptions and schemas, the
 * response format's name, description and schema, the named tool choice, stop sequences. Each name
 * counts twice (an adapter repeats it: Bedrock describes a tool without a description by its name,
 * and its JSON tool by the schema name), and fixed allowances cover the text an adapter adds
 * ({@link #RESPONSE_FORMAT_TEXT}, {@link #JSON_TEXT_ADDED}). The Bedrock module's contract test
 * checks, for generated hostile requests, that this covers every billable byte of the body its
 * writer sends. Stateless and thread-safe; allocates nothing.
 */
public final class InputTokenBound {
  /**
   * Bytes of fixed text an adapter may add to express a response format. Bedrock sends a synthetic
   * tool: its name twice (spec and tool choice), an instruction and, for json_object, a schema: 115
   * bytes at most.
   */
  public static final int RESPONSE_FORMAT_TEXT = 128;

  /**
   * Bytes an adapter may add to a JSON object text it sends. Bedrock writes {@code {}} for empty
   * tool-call arguments, and gives a schema without a type {@code "type":"object"} and empty
   * properties: 33 bytes at most.
   */
  public static final int JSON_TEXT_ADDED = 48;

  /**
   * The JSON-escaped UTF-8 length of each ASCII character as Jackson writes it in a string: {@code
   * \b \t \n \f \r " \} two bytes, other control characters six (a {@code \}u escape), the rest
   * one.
   */
  private static final byte[] ESCAPED_ASCII = new byte[128];

  static {
    for (int c = 0; c < 128; c++) {
      ESCAPED_ASCII[c] = (byte) (c < 0x20 ? 6 : 1);
    }
    for (char c : new char[] {'\b', '\t', '\n', '\f', '\r', '"', '\\'}) {
      ESCAPED_ASCII[c] = 2;
    }
  }

  private InputTokenBound() {}

  public static long of(ChatRequest request, InputAllowance allowance) {
    // Indexed loops: no iterator allocated on the admission path.
    long tokens = allowance.perRequest();
    List<Message> messages = request.messages();
    for (int i = 0; i < messages.size(); i++) {
      Message m = messages.get(i);
      tokens += allowance.perMessage();
      tokens +=
          switch (m) {
            case Message.System s -> text(s.text());
            case Message.User u -> userContent(u, allowance);
            case Message.Assistant a -> text(a.text().orElse("")) + toolCalls(a);
            case Message.Tool t -> text(t.toolCallId()) + text(t.content());
          };
    }
    List<ToolDefinition> tools = request.tools();
    for (int i = 0; i < tools.size(); i++) {
      ToolDefinition tool = tools.get(i);
      tokens += allowance.perMessage() + 2 * text(tool.name());
      tokens += text(tool.description().orElse("")) + json(tool.parametersJson());
    }
    if (request.toolChoice() instanceof ToolChoice.Named named) {
      tokens += text(named.name());
    }
    tokens +=
        switch (request.responseFormat()) {
          case ResponseFormat.Text t -> 0;
          case ResponseFormat.JsonObject o -> allowance.perMessage() + RESPONSE_FORMAT_TEXT;
          case ResponseFormat.JsonSchema s ->
              allowance.perMessage()
                  + RESPONSE_FORMAT_TEXT
                  + 2 * text(s.name())
                  + text(s.description().orElse(""))
                  + json(s.schemaJson());
        };
    List<String> stops = request.stop();
    for (int i = 0; i < stops.size(); i++) {
      tokens += text(stops.get(i));
    }
    return tokens;
  }

  private static long userContent(Message.User user, InputAllowance allowance) {
    long tokens = 0;
    List<ContentPart> parts = user.content();
    for (int i = 0; i < parts.size(); i++) {
      ContentPart part = parts.get(i);
      tokens +=
          switch (part) {
            case ContentPart.Text t -> text(t.text());
            case ContentPart.Image image -> allowance.perImage();
          };
    }
    return tokens;
  }

  private static long toolCalls(Message.Assistant assistant) {
    long tokens = 0;
    List<ToolCall> calls = assistant.toolCalls();
    for (int i = 0; i < calls.size(); i++) {
      ToolCall call = calls.get(i);
      tokens += text(call.id()) + 2 * text(call.name()) + json(call.argumentsJson());
    }
    return tokens;
  }

  /**
   * Bytes of {@code s} written as a JSON string's content: escapes as {@link #ESCAPED_ASCII}, other
   * characters their UTF-8 length, except surrogates: Jackson escapes each half of a pair (an emoji
   * goes out as 12 bytes), and a lone one alike.
   */
  static long text(String s) {
    long n = 0;
    for (int i = 0, len = s.length(); i < len; i++) {
      char c = s.charAt(i);
      // The ASCII test inline: most text is ASCII, and this loop runs on every admission.
      n += c < 0x80 ? ESCAPED_ASCII[c] : escaped(c);
    }
    return n;
  }

  private static int escaped(char c) {
    if (c < 0x80) {
      return ESCAPED_ASCII[c];
    } else if (c < 0x800) {
      return 2;
    } else if (Character.isSurrogate(c)) {
      return 6;
    }
    return 3;
  }

  /**
   * Bytes of a JSON object text as an adapter re-writes it (parsed, then written compactly), plus
   * {@link #JSON_TEXT_ADDED}. Inside strings, an escape sequence never comes out longer than it
   * went in (an escaped é, six bytes, becomes two; an escaped U+0001 stays six), and a raw
   * character comes out as {@link #text} counts it. Outside strings, whitespace is dropped, but a
   * number may come out in another notation: Jackson writes decimals as normalized BigDecimals
   * ({@code 1e-6} as {@code 0.000001}, {@code 99e9} as {@code 9.9E+10}), never more than twice as
   * long, so number characters count twice.
   */
  static long json(String json) {
    long n = JSON_TEXT_ADDED;
    boolean inString = false;
    boolean afterBackslash = false;
    for (int i = 0, len = json.length(); i < len; i++) {
      char c = json.charAt(i);
      if (inString) {
        if (afterBackslash) {
          afterBackslash = false;
        } else if (c == '\\') {
          afterBackslash = true;
        } else if (c == '"') {
          inString = false;
        }
        // The backslash and quote of an escape or a string end are one byte each.
        n += c == '\\' || c == '"' ? 1 : escaped(c);
      } else if (c == '"') {
        inString = true;
        n += 1;
      } else if ((c >= '0' && c <= '9')
          || c == '.'
          || c == 'e'
          || c == 'E'
          || c == '+'
          || c == '-') {
        n += 2;
      } else {
        n += c < 0x80 ? 1 : escaped(c);
      }
    }
    return n;
  }
}

package io.llmgateway.core.internal;

import io.llmgateway.core.GatewayConfig.InputAllowance;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.chat.ToolDefinition;
import java.nio.charset.StandardCharsets;

/**
 * An upper bound on the input tokens of a request, computed without a tokenizer: every token of a
 * byte-level BPE vocabulary decodes to at least one byte, so the UTF-8 byte count of all text
 * bounds the text tokens; fixed allowances cover message framing and images. Stateless.
 */
public final class InputTokenBound {
  private InputTokenBound() {}

  public static long of(ChatRequest request, InputAllowance allowance) {
    long tokens = allowance.perRequest();
    for (Message m : request.messages()) {
      tokens += allowance.perMessage();
      tokens +=
          switch (m) {
            case Message.System s -> bytes(s.text());
            case Message.User u -> userContent(u, allowance);
            case Message.Assistant a -> bytes(a.text().orElse("")) + toolCalls(a);
            case Message.Tool t -> bytes(t.toolCallId()) + bytes(t.content());
          };
    }
    for (ToolDefinition tool : request.tools()) {
      tokens += allowance.perMessage() + bytes(tool.name()) + bytes(tool.description().orElse(""));
      tokens += bytes(tool.parametersJson());
    }
    if (request.responseFormat() instanceof ResponseFormat.JsonSchema schema) {
      tokens += allowance.perMessage() + bytes(schema.name()) + bytes(schema.schemaJson());
    } else if (request.responseFormat() instanceof ResponseFormat.JsonObject) {
      tokens += allowance.perMessage();
    }
    for (String stop : request.stop()) {
      tokens += bytes(stop);
    }
    return tokens;
  }

  private static long userContent(Message.User user, InputAllowance allowance) {
    long tokens = 0;
    for (ContentPart part : user.content()) {
      tokens +=
          switch (part) {
            case ContentPart.Text t -> bytes(t.text());
            case ContentPart.Image i -> allowance.perImage();
          };
    }
    return tokens;
  }

  private static long toolCalls(Message.Assistant assistant) {
    long tokens = 0;
    for (ToolCall call : assistant.toolCalls()) {
      tokens += bytes(call.id()) + bytes(call.name()) + bytes(call.argumentsJson());
    }
    return tokens;
  }

  private static long bytes(String text) {
    // Counting without allocating: UTF-8 length from UTF-16 code units.
    long n = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** Exposed for tests: the UTF-8 length as the JDK computes it. */
  static long utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}

package io.llmgateway.bedrock;

import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.provider.ProviderRequest;
import java.util.Optional;

/**
 * What the mock answers one request: words picked by a hash of the user text (same prompt, same
 * answer), at most the output cap, a tool call when one is required, JSON when asked for. Computed
 * once per request with a few arithmetic operations per message. Immutable.
 */
record MockAnswer(
    int seed,
    int tokens,
    boolean capped,
    long inputTokens,
    Optional<ToolCall> toolCall,
    boolean json) {

  private static final String[] WORDS =
      ("the gateway answers offline with a mock reply about your question and keeps every budget"
              + " in mind while tokens flow through one calm stream of words that mean very little"
              + " but cost nothing at all so tests run fast on any machine without network access"
              + " or credentials needed here now again then later today model prompt output input"
              + " cache limit team user key spend")
          .split(" ");

  /** What the mock reports per image (a Nova image of about 1 megapixel). */
  static final int IMAGE_TOKENS = 1_600;

  static final String JSON_PREFIX = "{\"answer\":\"";
  static final String JSON_SUFFIX = "\"}";

  static MockAnswer plan(ProviderRequest pr, int configuredTokens) {
    ChatRequest r = pr.request();
    int seed = 17;
    long chars = 0;
    int images = 0;
    for (Message m : r.messages()) {
      switch (m) {
        case Message.System s -> chars += s.text().length();
        case Message.User u -> {
          for (ContentPart p : u.content()) {
            if (p instanceof ContentPart.Text t) {
              chars += t.text().length();
              seed = 31 * seed + t.text().hashCode();
            } else {
              images++;
            }
          }
        }
        case Message.Assistant a -> chars += a.text().map(String::length).orElse(0);
        case Message.Tool t -> chars += t.content().length();
      }
    }
    // The mock's own tokenizer imitation, reported as its usage: about four characters per token,
    // four per message, IMAGE_TOKENS per image. Deterministic, and far below the core's bound.
    long input =
        Math.max(1, (chars + 3) / 4 + 4L * r.messages().size()) + (long) images * IMAGE_TOKENS;
    int tokens = Math.min(configuredTokens, pr.maxOutputTokens());
    Optional<ToolCall> call = Optional.empty();
    if (!r.tools().isEmpty()) {
      String name =
          switch (r.toolChoice()) {
            case ToolChoice.Named n -> n.name();
            case ToolChoice.Required q -> r.tools().get(0).name();
            default -> null;
          };
      if (name != null) {
        call = Optional.of(new ToolCall("call_mock_" + Integer.toHexString(seed), name, "{}"));
      }
    }
    boolean json = !(r.responseFormat() instanceof ResponseFormat.Text) && call.isEmpty();
    return new MockAnswer(seed, tokens, configuredTokens > pr.maxOutputTokens(), input, call, json);
  }

  FinishReason finish() {
    if (toolCall.isPresent()) {
      return FinishReason.TOOL_CALLS;
    }
    return capped ? FinishReason.LENGTH : FinishReason.STOP;
  }

  /** The i-th token's text (a word, with a leading space after the first). */
  String token(int i) {
    String w = WORDS[Math.floorMod(seed + i * 7, WORDS.length)];
    return i == 0 ? w : " " + w;
  }

  String text() {
    StringBuilder sb = new StringBuilder(tokens * 7 + 16);
    if (json) {
      sb.append(JSON_PREFIX);
    }
    for (int i = 0; i < tokens; i++) {
      sb.append(token(i));
    }
    if (json) {
      sb.append(JSON_SUFFIX);
    }
    return sb.toString();
  }

  TokenUsage usage() {
    return TokenUsage.reported(inputTokens, tokens);
  }
}

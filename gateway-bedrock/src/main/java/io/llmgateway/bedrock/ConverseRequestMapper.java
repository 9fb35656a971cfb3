package io.llmgateway.bedrock;

import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.chat.ToolDefinition;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.provider.ProviderRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ImageBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ImageFormat;
import software.amazon.awssdk.services.bedrockruntime.model.ImageSource;
import software.amazon.awssdk.services.bedrockruntime.model.InferenceConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.SystemContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

/**
 * Canonical request to Converse: system messages to {@code system}, consecutive roles merged, tool
 * messages as {@code toolResult} blocks in the user turn, tools and tool choice, sampling values,
 * the output cap as {@code maxTokens}, and response formats through a synthetic tool (the approach
 * LiteLLM takes, reference doc 5). Refuses with {@link InvalidRequestException} what Converse
 * cannot honour. Stateless and thread-safe.
 */
final class ConverseRequestMapper {

  /** The synthetic tool whose input is the JSON answer (LiteLLM's RESPONSE_FORMAT_TOOL_NAME). */
  static final String JSON_TOOL = ConverseTools.JSON_TOOL;

  // Converse limits on message content (botocore model, Message.content documentation).
  static final int MAX_IMAGES = 20;
  static final int MAX_IMAGE_BYTES = 3_750_000;
  // A conservative per-image token estimate, used only when a stream ends without usage.
  static final int IMAGE_TOKEN_ESTIMATE = 1_600;

  private ConverseRequestMapper() {}

  static ConverseInput map(ProviderRequest pr) {
    ChatRequest r = pr.request();
    Turns turns = new Turns();
    List<SystemContentBlock> system = new ArrayList<>();
    long chars = 0;
    int images = 0;
    for (io.llmgateway.core.chat.Message m : r.messages()) {
      switch (m) {
        case io.llmgateway.core.chat.Message.System s -> {
          // Converse refuses blank system text; LiteLLM skips empty strings too.
          if (!s.text().isBlank()) {
            system.add(SystemContentBlock.fromText(s.text()));
            chars += s.text().length();
          }
        }
        case io.llmgateway.core.chat.Message.User u -> {
          List<ContentBlock> blocks = new ArrayList<>();
          for (ContentPart p : u.content()) {
            switch (p) {
              case ContentPart.Text t -> {
                if (!t.text().isEmpty()) {
                  blocks.add(ContentBlock.fromText(t.text()));
                  chars += t.text().length();
                }
              }
              case ContentPart.Image img -> {
                images++;
                blocks.add(image(img));
              }
            }
          }
          if (blocks.isEmpty()) {
            throw new InvalidRequestException(
                "a user message has no non-empty content", "messages");
          }
          turns.add(ConversationRole.USER, blocks);
        }
        case io.llmgateway.core.chat.Message.Assistant a -> {
          List<ContentBlock> blocks = new ArrayList<>();
          a.text().filter(t -> !t.isBlank()).ifPresent(t -> blocks.add(ContentBlock.fromText(t)));
          chars += a.text().map(String::length).orElse(0);
          for (ToolCall c : a.toolCalls()) {
            blocks.add(toolUse(c));
            chars += c.name().length() + c.argumentsJson().length();
          }
          if (blocks.isEmpty()) {
            throw new InvalidRequestException(
                "an assistant message has no non-empty content", "messages");
          }
          turns.hasToolBlocks |= !a.toolCalls().isEmpty();
          turns.add(ConversationRole.ASSISTANT, blocks);
        }
        case io.llmgateway.core.chat.Message.Tool t -> {
          turns.hasToolBlocks = true;
          chars += t.content().length();
          turns.add(ConversationRole.USER, List.of(toolResult(t)));
        }
      }
    }
    List<Message> messages = turns.done();
    if (images > MAX_IMAGES) {
      throw new InvalidRequestException(
          "Bedrock accepts at most " + MAX_IMAGES + " images per request", "messages");
    }
    ConverseTools.Mapping tools = ConverseTools.map(r, turns.hasToolBlocks);
    for (ToolDefinition t : r.tools()) {
      chars += t.name().length() + t.parametersJson().length();
    }
    long estimate =
        (chars + 3) / 4 + 4L * r.messages().size() + (long) images * IMAGE_TOKEN_ESTIMATE;
    return new ConverseInput(
        pr.deployment().providerModelId(),
        messages,
        system,
        inference(pr),
        tools.config(),
        topK(pr),
        tools.jsonMode(),
        estimate);
  }

  /** Collects Converse turns, merging consecutive messages of the same role. */
  private static final class Turns {
    private final List<Message> done = new ArrayList<>();
    private ConversationRole role;
    private List<ContentBlock> blocks = new ArrayList<>();
    boolean hasToolBlocks;

    void add(ConversationRole r, List<ContentBlock> more) {
      if (r != role) {
        flush();
        role = r;
      }
      blocks.addAll(more);
    }

    private void flush() {
      if (role != null && !blocks.isEmpty()) {
        done.add(Message.builder().role(role).content(blocks).build());
      }
      blocks = new ArrayList<>();
    }

    List<Message> done() {
      flush();
      if (done.isEmpty()) {
        throw new InvalidRequestException(
            "Bedrock needs at least one user message besides system messages", "messages");
      }
      if (done.get(0).role() != ConversationRole.USER) {
        // Nova: "first turn should always be the user turn" (reference doc 1.3).
        throw new InvalidRequestException(
            "Bedrock needs the conversation to start with a user message", "messages");
      }
      return List.copyOf(done);
    }
  }

  private static ContentBlock image(ContentPart.Image img) {
    if (img.size() > MAX_IMAGE_BYTES) {
      throw new InvalidRequestException(
          "Bedrock accepts images of at most 3.75 MB each", "messages");
    }
    return ContentBlock.fromImage(
        ImageBlock.builder()
            .format(ImageFormat.fromValue(img.format()))
            .source(ImageSource.fromBytes(SdkBytes.fromByteArrayUnsafe(img.data())))
            .build());
  }

  private static ContentBlock toolUse(ToolCall c) {
    String args = c.argumentsJson().isBlank() ? "{}" : c.argumentsJson();
    return ContentBlock.fromToolUse(
        ToolUseBlock.builder()
            .toolUseId(c.id())
            .name(c.name())
            .input(Json.objectDocument(args, "messages", "tool call arguments of " + c.name()))
            .build());
  }

  private static ContentBlock toolResult(io.llmgateway.core.chat.Message.Tool t) {
    return ContentBlock.fromToolResult(
        ToolResultBlock.builder()
            .toolUseId(t.toolCallId())
            .content(ToolResultContentBlock.fromText(t.content()))
            .build());
  }

  private static InferenceConfiguration inference(ProviderRequest pr) {
    ChatRequest r = pr.request();
    // maxTokens is always sent: the admission cap is what the budget reserved for.
    InferenceConfiguration.Builder b =
        InferenceConfiguration.builder().maxTokens(pr.maxOutputTokens());
    if (r.temperature().isPresent()) {
      double t = r.temperature().getAsDouble();
      if (t > 1.0) {
        throw new InvalidRequestException(
            "temperature must be between 0 and 1 for Bedrock models", "temperature");
      }
      b.temperature((float) t);
    }
    r.topP().ifPresent(p -> b.topP((float) p));
    // Converse raises on empty stop strings (LiteLLM drops them, reference doc 5).
    List<String> stops = r.stop().stream().filter(s -> !s.isEmpty()).toList();
    if (!stops.isEmpty()) {
      b.stopSequences(stops);
    }
    return b.build();
  }

  private static Optional<Document> topK(ProviderRequest pr) {
    if (pr.request().topK().isEmpty()) {
      return Optional.empty();
    }
    int k = pr.request().topK().getAsInt();
    String model = pr.deployment().providerModelId();
    if (model.contains("anthropic.")) {
      return Optional.of(Document.fromMap(Map.of("top_k", Document.fromNumber(k))));
    }
    // Nova reads topK from additionalModelRequestFields.inferenceConfig (reference doc 1.3). It is
    // also the default: the gateway fronts Nova, and an application inference profile ARN does not
    // name its model; another model answers a ValidationException, passed through as 400.
    return Optional.of(
        Document.fromMap(
            Map.of("inferenceConfig", Document.fromMap(Map.of("topK", Document.fromNumber(k))))));
  }
}

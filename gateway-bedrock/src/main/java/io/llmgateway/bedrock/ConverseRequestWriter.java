package io.llmgateway.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.provider.ProviderRequest;
import java.util.ArrayList;
import java.util.List;

/**
 * Canonical request to the Converse JSON body, written with Jackson's tree model (no SDK model
 * objects): system messages to {@code system}, consecutive roles merged, tool messages as {@code
 * toolResult} blocks in the user turn, tools and tool choice, sampling values, the output cap as
 * {@code maxTokens}, and response formats through a synthetic tool (the approach LiteLLM takes,
 * reference doc 5). Field order and number forms are those the AWS SDK wrote (reference doc 1.2).
 * Refuses with {@link InvalidRequestException} what Converse cannot honour, before any call.
 * Stateless and thread-safe.
 */
final class ConverseRequestWriter {

  /** The synthetic tool whose input is the JSON answer (LiteLLM's RESPONSE_FORMAT_TOOL_NAME). */
  static final String JSON_TOOL = ConverseToolConfig.JSON_TOOL;

  // Converse limits on message content (botocore model, Message.content documentation).
  static final int MAX_IMAGES = 20;
  static final int MAX_IMAGE_BYTES = 3_750_000;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ConverseRequestWriter() {}

  static ConverseCall map(ProviderRequest pr) {
    ChatRequest r = pr.request();
    Turns turns = new Turns();
    ArrayNode system = F.arrayNode();
    int images = 0;
    for (int i = 0; i < r.messages().size(); i++) {
      Message m = r.messages().get(i);
      switch (m) {
        case Message.System s -> {
          // Converse refuses blank system text; LiteLLM skips empty strings too.
          if (!s.text().isBlank()) {
            system.addObject().put("text", s.text());
          }
        }
        case Message.User u -> {
          List<ObjectNode> blocks = new ArrayList<>(u.content().size());
          for (ContentPart p : u.content()) {
            switch (p) {
              case ContentPart.Text t -> {
                if (!t.text().isEmpty()) {
                  blocks.add(F.objectNode().put("text", t.text()));
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
          turns.add("user", blocks);
        }
        case Message.Assistant a -> {
          List<ObjectNode> blocks = new ArrayList<>(1 + a.toolCalls().size());
          a.text()
              .filter(t -> !t.isBlank())
              .ifPresent(t -> blocks.add(F.objectNode().put("text", t)));
          for (ToolCall c : a.toolCalls()) {
            blocks.add(toolUse(c));
          }
          if (blocks.isEmpty()) {
            throw new InvalidRequestException(
                "an assistant message has no non-empty content", "messages");
          }
          turns.hasToolBlocks |= !a.toolCalls().isEmpty();
          turns.add("assistant", blocks);
        }
        case Message.Tool t -> {
          turns.hasToolBlocks = true;
          turns.add("user", List.of(toolResult(t)));
        }
      }
      if (r.cachePoints().afterMessages().contains(i)) {
        // The prefix up to here may be cached: Converse's cachePoint block right after it, in the
        // system list for a system message (they are all sent there), else in the same turn.
        switch (m) {
          case Message.System s -> system.add(cachePoint());
          case Message.Assistant a -> turns.add("assistant", List.of(cachePoint()));
          default -> turns.add("user", List.of(cachePoint()));
        }
      }
    }
    ArrayNode messages = turns.done();
    if (images > MAX_IMAGES) {
      throw new InvalidRequestException(
          "Bedrock accepts at most " + MAX_IMAGES + " images per request", "messages");
    }
    ConverseToolConfig.Mapping tools = ConverseToolConfig.map(r, turns.hasToolBlocks);

    ObjectNode body = F.objectNode();
    body.set("messages", messages);
    if (!system.isEmpty()) {
      body.set("system", system);
    }
    body.set("inferenceConfig", inference(pr));
    tools.config().ifPresent(c -> body.set("toolConfig", c));
    ObjectNode extra = topK(pr);
    if (extra != null) {
      body.set("additionalModelRequestFields", extra);
    }
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a Converse body", e);
    }
    return new ConverseCall(pr.deployment().providerModelId(), bytes, tools.jsonMode());
  }

  /** Collects Converse turns, merging consecutive messages of the same role. */
  private static final class Turns {
    private final ArrayNode done = F.arrayNode();
    private String role;
    private ArrayNode blocks;
    boolean hasToolBlocks;

    void add(String r, List<ObjectNode> more) {
      if (!r.equals(role)) {
        role = r;
        ObjectNode turn = done.addObject().put("role", r);
        blocks = turn.putArray("content");
      }
      blocks.addAll(more);
    }

    ArrayNode done() {
      if (done.isEmpty()) {
        throw new InvalidRequestException(
            "Bedrock needs at least one user message besides system messages", "messages");
      }
      if (!"user".equals(done.get(0).get("role").asText())) {
        // Nova: "first turn should always be the user turn" (reference doc 1.3).
        throw new InvalidRequestException(
            "Bedrock needs the conversation to start with a user message", "messages");
      }
      return done;
    }
  }

  /** Converse's {@code {"cachePoint":{"type":"default"}}} block (Claude and Nova models). */
  static ObjectNode cachePoint() {
    ObjectNode block = F.objectNode();
    block.putObject("cachePoint").put("type", "default");
    return block;
  }

  private static ObjectNode image(ContentPart.Image img) {
    if (img.size() > MAX_IMAGE_BYTES) {
      throw new InvalidRequestException(
          "Bedrock accepts images of at most 3.75 MB each", "messages");
    }
    // Blobs are base64 strings in the JSON (reference doc 1.2); a binary node writes exactly that.
    ObjectNode block = F.objectNode();
    ObjectNode image = block.putObject("image").put("format", img.format());
    image.putObject("source").put("bytes", img.data());
    return block;
  }

  private static ObjectNode toolUse(ToolCall c) {
    String args = c.argumentsJson().isBlank() ? "{}" : c.argumentsJson();
    ObjectNode block = F.objectNode();
    block
        .putObject("toolUse")
        .put("toolUseId", c.id())
        .put("name", c.name())
        .set("input", Json.object(args, "messages", "tool call arguments of " + c.name()));
    return block;
  }

  private static ObjectNode toolResult(Message.Tool t) {
    ObjectNode block = F.objectNode();
    ObjectNode result = block.putObject("toolResult").put("toolUseId", t.toolCallId());
    result.putArray("content").addObject().put("text", t.content());
    return block;
  }

  private static ObjectNode inference(ProviderRequest pr) {
    ChatRequest r = pr.request();
    // maxTokens is always sent: the admission cap is what the budget reserved for.
    ObjectNode b = F.objectNode().put("maxTokens", pr.maxOutputTokens());
    if (r.temperature().isPresent()) {
      double t = r.temperature().getAsDouble();
      if (t > 1.0) {
        throw new InvalidRequestException(
            "temperature must be between 0 and 1 for Bedrock models", "temperature");
      }
      // Floats, as the SDK's model types them, so bodies match what it sent (0.123456789 goes out
      // as 0.12345679).
      b.put("temperature", (float) t);
    }
    if (r.topP().isPresent()) {
      b.put("topP", (float) r.topP().getAsDouble());
    }
    // Converse raises on empty stop strings (LiteLLM drops them, reference doc 5).
    List<String> stops = r.stop().stream().filter(s -> !s.isEmpty()).toList();
    if (!stops.isEmpty()) {
      ArrayNode a = b.putArray("stopSequences");
      stops.forEach(a::add);
    }
    return b;
  }

  private static ObjectNode topK(ProviderRequest pr) {
    if (pr.request().topK().isEmpty()) {
      return null;
    }
    int k = pr.request().topK().getAsInt();
    String model = pr.deployment().providerModelId();
    if (model.contains("anthropic.")) {
      return F.objectNode().put("top_k", k);
    }
    // Nova reads topK from additionalModelRequestFields.inferenceConfig (reference doc 1.3). It is
    // also the default: the gateway fronts Nova, and an application inference profile ARN does not
    // name its model; another model answers a ValidationException, passed through as 400.
    ObjectNode o = F.objectNode();
    o.putObject("inferenceConfig").put("topK", k);
    return o;
  }
}

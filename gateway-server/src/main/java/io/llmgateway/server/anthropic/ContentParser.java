package io.llmgateway.server.anthropic;

import static io.llmgateway.server.http.Fields.clip;
import static io.llmgateway.server.http.Fields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.chat.ContentPart;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.http.Fields;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Anthropic {@code system} and {@code messages} to canonical {@link Message}s, and each {@code
 * cache_control} to a cache point after the message that ends with the marked block: a user turn is
 * split at a marked block (the Bedrock writer merges consecutive messages of one role into one turn
 * again, so the cache point lands exactly after that block). {@code tool_result} blocks become tool
 * messages; {@code thinking} blocks sent back in assistant turns are dropped (the gateway never
 * asks for thinking, so none of its answers carry one). Images must be inline base64 (the gateway
 * never fetches a URL). Not thread-safe: one per request.
 */
final class ContentParser {
  private final ServerConfig.Limits limits;
  private final List<Message> out = new ArrayList<>();
  private final Set<Integer> cacheAfter = new HashSet<>();
  private int images;

  ContentParser(ServerConfig.Limits limits) {
    this.limits = limits;
  }

  List<Message> messages() {
    return out;
  }

  Set<Integer> cachePoints() {
    return cacheAfter;
  }

  /** {@code system}: a string or an array of text blocks (each may carry cache_control). */
  void system(JsonNode system) {
    if (system.isTextual()) {
      out.add(new Message.System(system.textValue()));
      return;
    }
    Fields.array(system, "system");
    for (int i = 0; i < system.size(); i++) {
      String p = "system[" + i + "]";
      JsonNode block = Fields.object(system.get(i), p);
      String type = Fields.requiredString(block, "type", p + ".type");
      if (!type.equals("text")) {
        throw invalid("system blocks must be of type 'text', not '" + clip(type) + "'", p);
      }
      out.add(new Message.System(Fields.requiredString(block, "text", p + ".text")));
      if (cacheControl(block, p)) {
        cacheAfter.add(out.size() - 1);
      }
    }
  }

  void messages(JsonNode messages) {
    Fields.array(messages, "messages");
    if (messages.isEmpty()) {
      throw invalid("'messages' must contain at least one message", "messages");
    }
    if (messages.size() > limits.maxMessages()) {
      throw invalid(
          "'messages' has " + messages.size() + " entries; the limit is " + limits.maxMessages(),
          "messages");
    }
    for (int i = 0; i < messages.size(); i++) {
      String p = "messages[" + i + "]";
      JsonNode m = Fields.object(messages.get(i), p);
      String role = Fields.requiredString(m, "role", p + ".role");
      JsonNode content = Fields.required(m, "content", p + ".content");
      switch (role) {
        case "user" -> user(content, p);
        case "assistant" -> assistant(content, p);
        default ->
            throw invalid("unknown role '" + clip(role) + "'; use user or assistant", p + ".role");
      }
    }
  }

  private void user(JsonNode content, String path) {
    if (content.isTextual()) {
      out.add(Message.User.text(content.textValue()));
      return;
    }
    List<ContentPart> parts = new ArrayList<>();
    int i = 0;
    for (JsonNode block : blocks(content, path)) {
      String p = path + ".content[" + i++ + "]";
      String type = Fields.requiredString(block, "type", p + ".type");
      switch (type) {
        case "text" ->
            parts.add(new ContentPart.Text(Fields.requiredString(block, "text", p + ".text")));
        case "image" -> parts.add(image(block, p));
        case "tool_result" -> {
          flushUser(parts);
          out.add(toolResult(block, p));
        }
        default ->
            throw invalid(
                "user content block type '"
                    + clip(type)
                    + "' is not supported; use text, image or tool_result",
                p + ".type");
      }
      if (cacheControl(block, p)) {
        flushUser(parts);
        cacheAfter.add(out.size() - 1);
      }
    }
    flushUser(parts);
  }

  private void flushUser(List<ContentPart> parts) {
    if (!parts.isEmpty()) {
      out.add(new Message.User(List.copyOf(parts)));
      parts.clear();
    }
  }

  private void assistant(JsonNode content, String path) {
    if (content.isTextual()) {
      if (!content.textValue().isEmpty()) {
        out.add(new Message.Assistant(Optional.of(content.textValue()), List.of()));
      }
      return;
    }
    StringBuilder text = new StringBuilder();
    List<ToolCall> calls = new ArrayList<>();
    int i = 0;
    for (JsonNode block : blocks(content, path)) {
      String p = path + ".content[" + i++ + "]";
      String type = Fields.requiredString(block, "type", p + ".type");
      switch (type) {
        case "text" -> text.append(Fields.requiredString(block, "text", p + ".text"));
        case "tool_use" -> calls.add(toolUse(block, p));
        case "thinking", "redacted_thinking" -> {}
        default ->
            throw invalid(
                "assistant content block type '"
                    + clip(type)
                    + "' is not supported; use text or tool_use",
                p + ".type");
      }
      if (cacheControl(block, p)) {
        flushAssistant(text, calls);
        if (!out.isEmpty()) {
          cacheAfter.add(out.size() - 1);
        }
      }
    }
    flushAssistant(text, calls);
  }

  private void flushAssistant(StringBuilder text, List<ToolCall> calls) {
    if (text.isEmpty() && calls.isEmpty()) {
      return;
    }
    Optional<String> t = text.isEmpty() ? Optional.empty() : Optional.of(text.toString());
    out.add(new Message.Assistant(t, List.copyOf(calls)));
    text.setLength(0);
    calls.clear();
  }

  private static List<JsonNode> blocks(JsonNode content, String path) {
    if (!content.isArray()) {
      throw invalid(
          "'" + path + ".content' must be a string or an array of blocks", path + ".content");
    }
    if (content.isEmpty()) {
      throw invalid("'" + path + ".content' must not be empty", path + ".content");
    }
    List<JsonNode> blocks = new ArrayList<>(content.size());
    for (int i = 0; i < content.size(); i++) {
      blocks.add(Fields.object(content.get(i), path + ".content[" + i + "]"));
    }
    return blocks;
  }

  private ToolCall toolUse(JsonNode block, String p) {
    JsonNode input = Fields.required(block, "input", p + ".input");
    Fields.object(input, p + ".input");
    return new ToolCall(
        Fields.requiredString(block, "id", p + ".id"),
        Fields.requiredString(block, "name", p + ".name"),
        input.toString());
  }

  /**
   * A tool result's content must be text (a string or text blocks): the canonical tool message
   * carries text only. {@code is_error} is not forwarded (documented in docs/SERVER.md).
   */
  private static Message.Tool toolResult(JsonNode block, String p) {
    String id = Fields.requiredString(block, "tool_use_id", p + ".tool_use_id");
    Fields.optionalBoolean(block, "is_error", p + ".is_error");
    if (!Fields.present(block, "content")) {
      return new Message.Tool(id, "");
    }
    JsonNode c = block.get("content");
    if (c.isTextual()) {
      return new Message.Tool(id, c.textValue());
    }
    Fields.array(c, p + ".content");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c.size(); i++) {
      String q = p + ".content[" + i + "]";
      JsonNode part = Fields.object(c.get(i), q);
      String type = Fields.requiredString(part, "type", q + ".type");
      if (!type.equals("text")) {
        throw invalid(
            "tool_result content must be text; '" + clip(type) + "' is not supported", q + ".type");
      }
      sb.append(Fields.requiredString(part, "text", q + ".text"));
    }
    return new Message.Tool(id, sb.toString());
  }

  private ContentPart.Image image(JsonNode block, String p) {
    if (++images > limits.maxImages()) {
      throw invalid("a request may carry at most " + limits.maxImages() + " images", p);
    }
    JsonNode source = Fields.object(Fields.required(block, "source", p + ".source"), p + ".source");
    String type = Fields.requiredString(source, "type", p + ".source.type");
    if (!type.equals("base64")) {
      throw invalid(
          "image sources are not fetched; send the image inline with source type 'base64'",
          p + ".source.type");
    }
    String mediaType = Fields.requiredString(source, "media_type", p + ".source.media_type");
    String format =
        switch (mediaType) {
          case "image/png" -> "png";
          case "image/jpeg" -> "jpeg";
          case "image/gif" -> "gif";
          case "image/webp" -> "webp";
          default ->
              throw invalid(
                  "image media_type '" + clip(mediaType) + "' is not supported",
                  p + ".source.media_type");
        };
    String data = Fields.requiredString(source, "data", p + ".source.data");
    if ((long) data.length() * 3 / 4 > limits.maxImageBytes() + 2L) {
      throw invalid(
          "image is larger than the limit of " + limits.maxImageBytes() + " bytes",
          p + ".source.data");
    }
    byte[] bytes;
    try {
      bytes = Base64.getMimeDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw invalid("image data is not valid base64", p + ".source.data");
    }
    if (bytes.length == 0 || bytes.length > limits.maxImageBytes()) {
      throw invalid(
          "image data must be 1 to " + limits.maxImageBytes() + " bytes", p + ".source.data");
    }
    return new ContentPart.Image(format, bytes);
  }

  /**
   * Whether a block asks for a cache point: {@code cache_control: {"type": "ephemeral"}}. A {@code
   * ttl} is accepted and not forwarded (Bedrock's cache points have one default lifetime).
   */
  static boolean cacheControl(JsonNode block, String p) {
    if (!Fields.present(block, "cache_control")) {
      return false;
    }
    JsonNode cc = Fields.object(block.get("cache_control"), p + ".cache_control");
    String type = Fields.requiredString(cc, "type", p + ".cache_control.type");
    if (!type.equals("ephemeral")) {
      throw invalid("cache_control type must be 'ephemeral'", p + ".cache_control.type");
    }
    Fields.optionalString(cc, "ttl", p + ".cache_control.ttl");
    return true;
  }
}

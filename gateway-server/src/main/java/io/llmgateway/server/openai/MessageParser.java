package io.llmgateway.server.openai;

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
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * OpenAI {@code messages} to canonical {@link Message}s. Roles {@code system} and {@code developer}
 * become system messages; images must be inline {@code data:} URLs (the gateway never fetches a
 * URL: no SSRF) within the size limit. Not thread-safe (counts images per request); make one per
 * request.
 */
final class MessageParser {
  private final ServerConfig.Limits limits;
  private int images;

  MessageParser(ServerConfig.Limits limits) {
    this.limits = limits;
  }

  List<Message> parse(JsonNode messages) {
    Fields.array(messages, "messages");
    if (messages.isEmpty()) {
      throw invalid("'messages' must contain at least one message", "messages");
    }
    if (messages.size() > limits.maxMessages()) {
      throw invalid(
          "'messages' has " + messages.size() + " entries; the limit is " + limits.maxMessages(),
          "messages");
    }
    List<Message> out = new ArrayList<>(messages.size());
    for (int i = 0; i < messages.size(); i++) {
      out.add(message(messages.get(i), "messages[" + i + "]"));
    }
    return out;
  }

  private Message message(JsonNode m, String path) {
    Fields.object(m, path);
    String role = Fields.requiredString(m, "role", path + ".role");
    return switch (role) {
      case "system", "developer" -> new Message.System(text(m, path));
      case "user" -> new Message.User(userContent(m, path));
      case "assistant" -> assistant(m, path);
      case "tool" ->
          new Message.Tool(
              Fields.requiredString(m, "tool_call_id", path + ".tool_call_id"), text(m, path));
      case "function" ->
          throw invalid(
              "role 'function' is deprecated and not supported; use tools and role 'tool'",
              path + ".role");
      default ->
          throw invalid(
              "unknown role '" + clip(role) + "'; use system, developer, user, assistant or tool",
              path + ".role");
    };
  }

  /** Content that must be text: a string, or an array of text parts joined together. */
  private String text(JsonNode m, String path) {
    JsonNode c = Fields.required(m, "content", path + ".content");
    if (c.isTextual()) {
      return c.textValue();
    }
    if (c.isArray()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < c.size(); i++) {
        String p = path + ".content[" + i + "]";
        JsonNode part = Fields.object(c.get(i), p);
        String type = Fields.requiredString(part, "type", p + ".type");
        if (!type.equals("text")) {
          throw invalid("only text content is allowed here, not '" + clip(type) + "'", p + ".type");
        }
        sb.append(Fields.requiredString(part, "text", p + ".text"));
      }
      return sb.toString();
    }
    throw invalid(
        "'" + path + ".content' must be a string or an array of parts", path + ".content");
  }

  private List<ContentPart> userContent(JsonNode m, String path) {
    JsonNode c = Fields.required(m, "content", path + ".content");
    if (c.isTextual()) {
      return List.of(new ContentPart.Text(c.textValue()));
    }
    if (!c.isArray()) {
      throw invalid(
          "'" + path + ".content' must be a string or an array of parts", path + ".content");
    }
    if (c.isEmpty()) {
      throw invalid("'" + path + ".content' must not be empty", path + ".content");
    }
    List<ContentPart> parts = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      String p = path + ".content[" + i + "]";
      JsonNode part = Fields.object(c.get(i), p);
      String type = Fields.requiredString(part, "type", p + ".type");
      switch (type) {
        case "text" ->
            parts.add(new ContentPart.Text(Fields.requiredString(part, "text", p + ".text")));
        case "image_url" -> parts.add(image(part, p));
        default ->
            throw invalid(
                "content part type '" + clip(type) + "' is not supported; use text or image_url",
                p + ".type");
      }
    }
    return parts;
  }

  // Package-private: the Responses input parser decodes input_image the same way.
  ContentPart.Image image(JsonNode part, String path) {
    if (++images > limits.maxImages()) {
      throw invalid("a request may carry at most " + limits.maxImages() + " images", path);
    }
    JsonNode imageUrl = Fields.required(part, "image_url", path + ".image_url");
    String url =
        imageUrl.isTextual()
            ? imageUrl.textValue()
            : Fields.requiredString(
                Fields.object(imageUrl, path + ".image_url"), "url", path + ".image_url.url");
    String param = path + ".image_url.url";
    if (!url.regionMatches(true, 0, "data:", 0, 5)) {
      throw invalid(
          "image URLs are not fetched; send the image inline as a data URL"
              + " (data:image/png;base64,...)",
          param);
    }
    int comma = url.indexOf(',');
    if (comma < 0) {
      throw invalid("malformed data URL: no comma before the data", param);
    }
    String header = url.substring(5, comma).toLowerCase(Locale.ROOT);
    if (!header.endsWith(";base64")) {
      throw invalid("image data URLs must be base64-encoded", param);
    }
    String mime = header.substring(0, header.length() - ";base64".length());
    String format =
        switch (mime) {
          case "image/png" -> "png";
          case "image/jpeg", "image/jpg" -> "jpeg";
          case "image/gif" -> "gif";
          case "image/webp" -> "webp";
          default ->
              throw invalid(
                  "image type '" + clip(mime) + "' is not supported; use png, jpeg, gif or webp",
                  param);
        };
    int encodedLength = url.length() - comma - 1;
    if ((long) encodedLength * 3 / 4 > limits.maxImageBytes() + 2L) {
      throw invalid(
          "image is larger than the limit of " + limits.maxImageBytes() + " bytes", param);
    }
    byte[] data;
    try {
      data = Base64.getMimeDecoder().decode(url.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      throw invalid("image data is not valid base64", param);
    }
    if (data.length == 0) {
      throw invalid("image data is empty", param);
    }
    if (data.length > limits.maxImageBytes()) {
      throw invalid(
          "image is larger than the limit of " + limits.maxImageBytes() + " bytes", param);
    }
    return new ContentPart.Image(format, data);
  }

  private static Message.Assistant assistant(JsonNode m, String path) {
    Optional<String> text = Optional.empty();
    JsonNode c = m.get("content");
    if (c != null && !c.isNull()) {
      if (c.isTextual()) {
        text = Optional.of(c.textValue());
      } else if (c.isArray()) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < c.size(); i++) {
          String p = path + ".content[" + i + "]";
          JsonNode part = Fields.object(c.get(i), p);
          String type = Fields.requiredString(part, "type", p + ".type");
          if (type.equals("text")) {
            sb.append(Fields.requiredString(part, "text", p + ".text"));
          } else if (!type.equals("refusal")) {
            throw invalid(
                "assistant content part '" + clip(type) + "' is not supported", p + ".type");
          }
        }
        text = Optional.of(sb.toString());
      } else {
        throw invalid(
            "'" + path + ".content' must be a string, an array or null", path + ".content");
      }
    }
    List<ToolCall> calls = new ArrayList<>();
    if (Fields.present(m, "tool_calls")) {
      JsonNode tc = Fields.array(m.get("tool_calls"), path + ".tool_calls");
      for (int i = 0; i < tc.size(); i++) {
        String p = path + ".tool_calls[" + i + "]";
        JsonNode call = Fields.object(tc.get(i), p);
        Fields.optionalString(call, "type", p + ".type")
            .filter(t -> !t.equals("function"))
            .ifPresent(
                t -> {
                  throw invalid("only tool calls of type 'function' are supported", p + ".type");
                });
        JsonNode fn =
            Fields.object(Fields.required(call, "function", p + ".function"), p + ".function");
        calls.add(
            new ToolCall(
                Fields.requiredString(call, "id", p + ".id"),
                Fields.requiredString(fn, "name", p + ".function.name"),
                Fields.optionalString(fn, "arguments", p + ".function.arguments").orElse("{}")));
      }
    }
    if (text.isEmpty() && calls.isEmpty()) {
      throw invalid("an assistant message needs content or tool_calls", path + ".content");
    }
    if (text.isPresent() && text.get().isEmpty() && !calls.isEmpty()) {
      text = Optional.empty();
    }
    return new Message.Assistant(text, calls);
  }
}

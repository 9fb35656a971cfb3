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
import java.util.List;
import java.util.Optional;

/**
 * The Responses API's {@code input} (a string, or a list of items) to canonical {@link Message}s.
 * Message items with roles {@code user}, {@code assistant}, {@code system} and {@code developer} (=
 * system), content {@code input_text} / {@code output_text} / {@code input_image} (inline data URLs
 * only, decoded as chat does); {@code function_call} items join the assistant turn before them
 * (Bedrock wants one assistant message per turn) and {@code function_call_output} items become tool
 * results. Items that need state the gateway does not keep ({@code item_reference}, {@code
 * reasoning}) or tools it does not run are refused naming their type. Not thread-safe (counts
 * images); one per request.
 */
final class ResponsesInputParser {
  private final ServerConfig.Limits limits;
  private final MessageParser images;
  private final List<Message> out = new ArrayList<>();

  ResponsesInputParser(ServerConfig.Limits limits) {
    this.limits = limits;
    this.images = new MessageParser(limits);
  }

  List<Message> parse(JsonNode input) {
    if (input.isTextual()) {
      return List.of(Message.User.text(input.textValue()));
    }
    if (!input.isArray()) {
      throw invalid("'input' must be a string or an array of items", "input");
    }
    if (input.isEmpty()) {
      throw invalid("'input' must contain at least one item", "input");
    }
    if (input.size() > limits.maxMessages()) {
      throw invalid(
          "'input' has " + input.size() + " items; the limit is " + limits.maxMessages(), "input");
    }
    for (int i = 0; i < input.size(); i++) {
      item(input.get(i), "input[" + i + "]");
    }
    return List.copyOf(out);
  }

  private void item(JsonNode item, String path) {
    Fields.object(item, path);
    // A message item may leave out its type (EasyInputMessage).
    String type = Fields.optionalString(item, "type", path + ".type").orElse("message");
    switch (type) {
      case "message" -> message(item, path);
      case "function_call" -> functionCall(item, path);
      case "function_call_output" ->
          out.add(
              new Message.Tool(
                  Fields.requiredString(item, "call_id", path + ".call_id"),
                  toolOutput(Fields.required(item, "output", path + ".output"), path)));
      case "item_reference" ->
          throw invalid(
              "input items of type 'item_reference' are not supported: this gateway does not"
                  + " store responses; send the items themselves",
              path + ".type");
      default ->
          throw invalid(
              "input items of type '"
                  + clip(type)
                  + "' are not supported; use message, function_call or function_call_output",
              path + ".type");
    }
  }

  private void message(JsonNode m, String path) {
    String role = Fields.requiredString(m, "role", path + ".role");
    JsonNode content = Fields.required(m, "content", path + ".content");
    switch (role) {
      case "system", "developer" ->
          out.add(new Message.System(text(content, path + ".content", "input_text")));
      case "user" -> out.add(new Message.User(userContent(content, path)));
      case "assistant" -> {
        String text = text(content, path + ".content", "output_text");
        if (!text.isEmpty()) {
          out.add(new Message.Assistant(Optional.of(text), List.of()));
        }
      }
      default ->
          throw invalid(
              "unknown role '" + clip(role) + "'; use user, assistant, system or developer",
              path + ".role");
    }
  }

  private void functionCall(JsonNode item, String path) {
    ToolCall call =
        new ToolCall(
            Fields.requiredString(item, "call_id", path + ".call_id"),
            Fields.requiredString(item, "name", path + ".name"),
            Fields.optionalString(item, "arguments", path + ".arguments").orElse("{}"));
    // Calls right after the assistant's text (or other calls) are the same assistant turn.
    if (!out.isEmpty() && out.getLast() instanceof Message.Assistant a) {
      List<ToolCall> calls = new ArrayList<>(a.toolCalls());
      calls.add(call);
      out.set(out.size() - 1, new Message.Assistant(a.text(), calls));
    } else {
      out.add(new Message.Assistant(Optional.empty(), List.of(call)));
    }
  }

  /** Text content: a string, or parts of the given text type ({@code refusal} parts dropped). */
  private static String text(JsonNode c, String field, String textType) {
    if (c.isTextual()) {
      return c.textValue();
    }
    if (!c.isArray()) {
      throw invalid("'" + field + "' must be a string or an array of parts", field);
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c.size(); i++) {
      String p = field + "[" + i + "]";
      JsonNode part = Fields.object(c.get(i), p);
      String type = Fields.requiredString(part, "type", p + ".type");
      if (type.equals(textType) || type.equals("input_text") || type.equals("output_text")) {
        sb.append(Fields.requiredString(part, "text", p + ".text"));
      } else if (!type.equals("refusal")) {
        throw invalid(
            "content part type '" + clip(type) + "' is not allowed here; use " + textType,
            p + ".type");
      }
    }
    return sb.toString();
  }

  private List<ContentPart> userContent(JsonNode c, String path) {
    if (c.isTextual()) {
      return List.of(new ContentPart.Text(c.textValue()));
    }
    if (!c.isArray() || c.isEmpty()) {
      throw invalid(
          "'" + path + ".content' must be a string or a non-empty array of parts",
          path + ".content");
    }
    List<ContentPart> parts = new ArrayList<>(c.size());
    for (int i = 0; i < c.size(); i++) {
      String p = path + ".content[" + i + "]";
      JsonNode part = Fields.object(c.get(i), p);
      String type = Fields.requiredString(part, "type", p + ".type");
      switch (type) {
        case "input_text" ->
            parts.add(new ContentPart.Text(Fields.requiredString(part, "text", p + ".text")));
        case "input_image" -> {
          if (!Fields.present(part, "image_url")) {
            throw invalid(
                "input_image needs 'image_url' as an inline data URL; file_id is not supported",
                p + ".image_url");
          }
          parts.add(images.image(part, p));
        }
        default ->
            throw invalid(
                "content part type '"
                    + clip(type)
                    + "' is not supported; use input_text or input_image",
                p + ".type");
      }
    }
    return parts;
  }

  /** A tool's output: a string, or input_text parts joined (images in tool output are refused). */
  private static String toolOutput(JsonNode output, String path) {
    return text(output, path + ".output", "input_text");
  }
}

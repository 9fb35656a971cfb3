package io.llmgateway.server.openai;

import static io.llmgateway.server.http.Fields.clip;
import static io.llmgateway.server.http.Fields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.Message;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.chat.ToolDefinition;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.http.Fields;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * An OpenAI Responses API body ({@code POST /v1/responses}) to a {@link ResponsesRequest}: the
 * canonical {@link ChatRequest} plus what the answer echoes. Fields are sorted as chat's are (see
 * {@link ChatRequestParser}): used, ignored because dropping them is harmless, refused because the
 * gateway cannot honour them, refused because a client must never choose the upstream; anything
 * else is refused naming it. The gateway stores no responses: {@code store} is accepted and
 * answered as {@code false}, {@code previous_response_id} is refused (docs/SERVER.md). Thread-safe.
 */
final class ResponsesRequestParser {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private static final Set<String> USED =
      Set.of(
          "model",
          "input",
          "instructions",
          "tools",
          "tool_choice",
          "max_output_tokens",
          "temperature",
          "top_p",
          "text",
          "stream",
          "stream_options",
          "metadata",
          "user",
          "parallel_tool_calls",
          "store",
          "previous_response_id",
          "include",
          "reasoning",
          "background",
          "truncation");

  /** Dropped without effect on the answer (documented in docs/SERVER.md). */
  private static final Set<String> IGNORED =
      Set.of("prompt_cache_key", "prompt_cache_retention", "safety_identifier", "service_tier");

  private static final Set<String> UNSUPPORTED =
      Set.of("conversation", "prompt", "top_logprobs", "max_tool_calls");

  private final ServerConfig.Limits limits;
  private final ObjectMapper mapper;

  ResponsesRequestParser(ServerConfig.Limits limits, ObjectMapper mapper) {
    this.limits = limits;
    this.mapper = mapper;
  }

  ResponsesRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("request body must be a JSON object");
    }
    checkFields(body);
    refuseUnsupportedValues(body);

    String model = Fields.requiredString(body, "model", "model");
    if (model.isBlank() || model.length() > 256) {
      throw invalid("'model' must be 1 to 256 characters", "model");
    }
    Optional<String> instructions = Fields.optionalString(body, "instructions", "instructions");
    List<Message> messages = new ArrayList<>();
    instructions.ifPresent(i -> messages.add(new Message.System(i)));
    messages.addAll(
        new ResponsesInputParser(limits).parse(Fields.required(body, "input", "input")));
    ChatRequest.Builder b = ChatRequest.builder(model).messages(messages);

    ArrayNode toolsEcho = F.arrayNode();
    if (Fields.present(body, "tools")) {
      b.tools(tools(Fields.array(body.get("tools"), "tools"), toolsEcho));
    }
    JsonNode toolChoiceEcho = F.textNode("auto");
    if (Fields.present(body, "tool_choice")) {
      toolChoiceEcho = body.get("tool_choice");
      b.toolChoice(toolChoice(toolChoiceEcho));
    }
    Fields.optionalNumber(body, "temperature").ifPresent(b::temperature);
    Fields.optionalNumber(body, "top_p").ifPresent(b::topP);
    OptionalInt maxOutput =
        Fields.optionalInt(body, "max_output_tokens", 1, ChatRequestParser.MAX_TOKENS_ACCEPTED);
    // The core clamps the cap to the model's limit and to what the tightest budget can pay for,
    // exactly as it does chat's max_tokens.
    maxOutput.ifPresent(b::maxTokens);
    boolean stream = Fields.optionalBoolean(body, "stream", "stream").orElse(false);
    // Usage always ends a Responses stream (response.completed carries it).
    b.stream(stream).includeUsage(stream);
    if (Fields.present(body, "stream_options") && !stream) {
      throw invalid("'stream_options' is only allowed when 'stream' is true", "stream_options");
    }
    JsonNode formatEcho = F.objectNode().put("type", "text");
    if (Fields.present(body, "text")) {
      JsonNode text = Fields.object(body.get("text"), "text");
      for (Iterator<String> it = text.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (!f.equals("format") && !(f.equals("verbosity") && text.get(f).isNull())) {
          throw invalid("parameter 'text." + clip(f) + "' is not supported", "text." + f);
        }
      }
      if (Fields.present(text, "format")) {
        formatEcho = text.get("format");
        b.responseFormat(format(formatEcho));
      }
    }
    Fields.optionalString(body, "user", "user").ifPresent(b::user);
    JsonNode metadata = metadata(body);
    boolean parallel =
        Fields.optionalBoolean(body, "parallel_tool_calls", "parallel_tool_calls").orElse(true);
    try {
      return new ResponsesRequest(
          b.build(),
          instructions,
          maxOutput,
          toolsEcho,
          toolChoiceEcho,
          formatEcho,
          metadata,
          parallel);
    } catch (IllegalArgumentException e) {
      // The canonical records validate ranges and shapes; their messages are safe to show.
      throw new InvalidRequestException(e.getMessage());
    }
  }

  private static void checkFields(JsonNode body) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      String lower = f.toLowerCase(Locale.ROOT);
      if (ChatRequestParser.UPSTREAM_CONTROL.contains(lower)
          || lower.startsWith("aws_")
          || lower.startsWith("azure_")
          || lower.startsWith("vertex_")) {
        throw invalid(
            "parameter '"
                + clip(f)
                + "' is not accepted: the gateway alone chooses the upstream endpoint and its"
                + " credentials",
            f);
      }
      if (UNSUPPORTED.contains(f) && Fields.present(body, f)) {
        throw invalid("parameter '" + f + "' is not supported by this gateway", f);
      }
      if (!USED.contains(f) && !IGNORED.contains(f) && !UNSUPPORTED.contains(f)) {
        throw invalid("unknown parameter '" + clip(f) + "'", f);
      }
    }
  }

  private static void refuseUnsupportedValues(JsonNode body) {
    Fields.optionalBoolean(body, "store", "store");
    if (Fields.present(body, "previous_response_id")) {
      throw invalid(
          "'previous_response_id' is not supported: this gateway does not store responses;"
              + " send the whole conversation in 'input' (and store: false)",
          "previous_response_id");
    }
    if (Fields.optionalBoolean(body, "background", "background").orElse(false)) {
      throw invalid("'background' responses are not supported by this gateway", "background");
    }
    Optional<String> truncation = Fields.optionalString(body, "truncation", "truncation");
    if (truncation.isPresent() && !truncation.get().equals("disabled")) {
      throw invalid(
          "'truncation' must be 'disabled': the gateway never drops parts of the input",
          "truncation");
    }
    if (Fields.present(body, "include")) {
      JsonNode include = Fields.array(body.get("include"), "include");
      for (JsonNode i : include) {
        // No reasoning items are ever produced, so their encrypted content is trivially included.
        if (!i.isTextual() || !i.textValue().equals("reasoning.encrypted_content")) {
          throw invalid("'include' value '" + clip(i.asText()) + "' is not supported", "include");
        }
      }
    }
    if (Fields.present(body, "reasoning")) {
      JsonNode r = Fields.object(body.get("reasoning"), "reasoning");
      for (Iterator<String> it = r.fieldNames(); it.hasNext(); ) {
        String f = it.next();
        if (Fields.present(r, f)) {
          throw invalid(
              "'reasoning." + clip(f) + "' is not supported by the upstream models",
              "reasoning." + f);
        }
      }
    }
  }

  /** The function tools; {@code echo} gets each in the full shape OpenAI answers with. */
  private List<ToolDefinition> tools(JsonNode tools, ArrayNode echo) {
    if (tools.size() > limits.maxTools()) {
      throw invalid("at most " + limits.maxTools() + " tools are allowed", "tools");
    }
    List<ToolDefinition> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      String p = "tools[" + i + "]";
      JsonNode t = Fields.object(tools.get(i), p);
      String type = Fields.requiredString(t, "type", p + ".type");
      if (!type.equals("function")) {
        throw invalid(
            "tools of type '"
                + clip(type)
                + "' are not supported; only tools of type 'function' are",
            p + ".type");
      }
      String name = Fields.requiredString(t, "name", p + ".name");
      Optional<String> description = Fields.optionalString(t, "description", p + ".description");
      boolean strict = Fields.optionalBoolean(t, "strict", p + ".strict").orElse(false);
      String parameters =
          Fields.present(t, "parameters")
              ? json(Fields.object(t.get("parameters"), p + ".parameters"))
              : "{\"type\":\"object\",\"properties\":{}}";
      ObjectNode shown = echo.addObject().put("type", "function").put("name", name);
      shown.put("description", description.orElse(null));
      shown.set("parameters", Fields.present(t, "parameters") ? t.get("parameters") : null);
      shown.put("strict", strict);
      try {
        out.add(new ToolDefinition(name, description, parameters));
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage(), p + ".name");
      }
    }
    return out;
  }

  private static ToolChoice toolChoice(JsonNode v) {
    if (v.isTextual()) {
      return ChatRequestParser.keywordToolChoice(v.textValue());
    }
    JsonNode o = Fields.object(v, "tool_choice");
    String type = Fields.requiredString(o, "type", "tool_choice.type");
    if (!type.equals("function")) {
      throw invalid(
          "'tool_choice' of type '" + clip(type) + "' is not supported; use a function",
          "tool_choice.type");
    }
    return new ToolChoice.Named(Fields.requiredString(o, "name", "tool_choice.name"));
  }

  private ResponseFormat format(JsonNode v) {
    JsonNode o = Fields.object(v, "text.format");
    String type = Fields.requiredString(o, "type", "text.format.type");
    return switch (type) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> new ResponseFormat.JsonObject();
      case "json_schema" ->
          new ResponseFormat.JsonSchema(
              Fields.requiredString(o, "name", "text.format.name"),
              Fields.optionalString(o, "description", "text.format.description"),
              json(
                  Fields.object(
                      Fields.required(o, "schema", "text.format.schema"), "text.format.schema")),
              Fields.optionalBoolean(o, "strict", "text.format.strict").orElse(false));
      default ->
          throw invalid(
              "'text.format.type' must be text, json_object or json_schema", "text.format.type");
    };
  }

  /** OpenAI's rule: at most 16 string values, keys up to 64 and values up to 512 characters. */
  private static JsonNode metadata(JsonNode body) {
    if (!Fields.present(body, "metadata")) {
      return F.objectNode();
    }
    ObjectNode m = (ObjectNode) Fields.object(body.get("metadata"), "metadata");
    if (m.size() > 16) {
      throw invalid("'metadata' may have at most 16 entries", "metadata");
    }
    for (Iterator<String> it = m.fieldNames(); it.hasNext(); ) {
      String k = it.next();
      JsonNode v = m.get(k);
      if (k.length() > 64 || !v.isTextual() || v.textValue().length() > 512) {
        throw invalid(
            "'metadata' keys must be at most 64 characters and values strings of at most 512",
            "metadata");
      }
    }
    return m;
  }

  private String json(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid("could not re-encode a JSON value", null);
    }
  }
}

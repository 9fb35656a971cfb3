package io.llmgateway.server.openai;

import static io.llmgateway.server.http.Fields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmgateway.core.chat.ChatRequest;
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
 * An OpenAI chat-completions request body to the canonical {@link ChatRequest}.
 *
 * <p>Every top-level field is in one of four sets: used; ignored because dropping it is harmless
 * ({@code user}, {@code metadata}, {@code store}, {@code seed} ...); refused with a clear 400
 * because we cannot honour it ({@code n > 1}, {@code logprobs}, penalties, audio ...); refused
 * because a client must never choose the upstream or its credentials ({@code api_base}, {@code
 * base_url}, {@code aws_*} ...: LiteLLM's CVE-2024-6587). A field in none of the sets is refused
 * too, so a typo never silently changes what a request means. Thread-safe.
 */
public final class ChatRequestParser {
  /** The largest {@code max_tokens} accepted; smaller values above a model's limit are clamped. */
  public static final int MAX_TOKENS_ACCEPTED = 1_000_000;

  private static final Set<String> USED =
      Set.of(
          "model",
          "messages",
          "tools",
          "tool_choice",
          "temperature",
          "top_p",
          "top_k",
          "stop",
          "max_tokens",
          "max_completion_tokens",
          "stream",
          "stream_options",
          "response_format",
          "user",
          "n",
          "logprobs",
          "top_logprobs",
          "presence_penalty",
          "frequency_penalty",
          "logit_bias");

  /** Dropped without effect on the answer (documented in docs/SERVER.md). */
  private static final Set<String> IGNORED =
      Set.of("metadata", "store", "seed", "parallel_tool_calls", "service_tier", "tags", "name");

  private static final Set<String> UNSUPPORTED =
      Set.of(
          "functions",
          "function_call",
          "audio",
          "modalities",
          "prediction",
          "reasoning_effort",
          "web_search_options",
          "verbosity");

  // Package-private: the Responses parser refuses the same fields.
  static final Set<String> UPSTREAM_CONTROL =
      Set.of(
          "api_base",
          "base_url",
          "api_key",
          "api_version",
          "custom_llm_provider",
          "custom_host",
          "extra_headers",
          "extra_body",
          "model_list",
          "litellm_params",
          "mock_response",
          "endpoint",
          "region",
          "organization");

  private final ServerConfig.Limits limits;
  private final ObjectMapper mapper;

  public ChatRequestParser(ServerConfig.Limits limits, ObjectMapper mapper) {
    this.limits = limits;
    this.mapper = mapper;
  }

  public ChatRequest parse(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("request body must be a JSON object");
    }
    checkFields(body);
    refuseUnsupportedValues(body);

    String model = Fields.requiredString(body, "model", "model");
    if (model.isBlank() || model.length() > 256) {
      throw invalid("'model' must be 1 to 256 characters", "model");
    }
    ChatRequest.Builder b =
        ChatRequest.builder(model)
            .messages(
                new MessageParser(limits).parse(Fields.required(body, "messages", "messages")));
    if (Fields.present(body, "tools")) {
      b.tools(tools(body.get("tools")));
    }
    if (Fields.present(body, "tool_choice")) {
      b.toolChoice(toolChoice(body.get("tool_choice")));
    }
    Fields.optionalNumber(body, "temperature").ifPresent(b::temperature);
    Fields.optionalNumber(body, "top_p").ifPresent(b::topP);
    Fields.optionalInt(body, "top_k", 1, 500).ifPresent(b::topK);
    if (Fields.present(body, "stop")) {
      b.stop(stop(body.get("stop")));
    }
    OptionalInt maxTokens = Fields.optionalInt(body, "max_tokens", 1, MAX_TOKENS_ACCEPTED);
    OptionalInt maxCompletion =
        Fields.optionalInt(body, "max_completion_tokens", 1, MAX_TOKENS_ACCEPTED);
    if (maxTokens.isPresent() && maxCompletion.isPresent()) {
      b.maxTokens(Math.min(maxTokens.getAsInt(), maxCompletion.getAsInt()));
    } else {
      maxTokens.ifPresent(b::maxTokens);
      maxCompletion.ifPresent(b::maxTokens);
    }
    boolean stream = Fields.optionalBoolean(body, "stream", "stream").orElse(false);
    b.stream(stream);
    if (Fields.present(body, "stream_options")) {
      JsonNode so = Fields.object(body.get("stream_options"), "stream_options");
      if (!stream) {
        throw invalid("'stream_options' is only allowed when 'stream' is true", "stream_options");
      }
      b.includeUsage(
          Fields.optionalBoolean(so, "include_usage", "stream_options.include_usage")
              .orElse(false));
    }
    if (Fields.present(body, "response_format")) {
      b.responseFormat(responseFormat(body.get("response_format")));
    }
    Fields.optionalString(body, "user", "user").ifPresent(b::user);
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      // The canonical records validate ranges and shapes; their messages are safe to show.
      throw new InvalidRequestException(e.getMessage());
    }
  }

  private static void checkFields(JsonNode body) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      String lower = f.toLowerCase(Locale.ROOT);
      if (UPSTREAM_CONTROL.contains(lower)
          || lower.startsWith("aws_")
          || lower.startsWith("azure_")
          || lower.startsWith("vertex_")) {
        throw invalid(
            "parameter '"
                + Fields.clip(f)
                + "' is not accepted: the gateway alone chooses the upstream endpoint and its"
                + " credentials",
            f);
      }
      if (UNSUPPORTED.contains(f)) {
        throw invalid("parameter '" + f + "' is not supported by this gateway", f);
      }
      if (!USED.contains(f) && !IGNORED.contains(f)) {
        throw invalid("unknown parameter '" + Fields.clip(f) + "'", f);
      }
    }
  }

  private static void refuseUnsupportedValues(JsonNode body) {
    OptionalInt n = Fields.optionalInt(body, "n", 1, 128);
    if (n.isPresent() && n.getAsInt() != 1) {
      throw invalid("'n' must be 1: one choice per request is supported", "n");
    }
    if (Fields.optionalBoolean(body, "logprobs", "logprobs").orElse(false)) {
      throw invalid("'logprobs' is not supported by the upstream models", "logprobs");
    }
    if (Fields.present(body, "top_logprobs")) {
      throw invalid("'top_logprobs' is not supported by the upstream models", "top_logprobs");
    }
    for (String penalty : List.of("presence_penalty", "frequency_penalty")) {
      if (Fields.optionalNumber(body, penalty).orElse(0) != 0) {
        throw invalid("'" + penalty + "' is not supported by the upstream models", penalty);
      }
    }
    if (Fields.present(body, "logit_bias")) {
      JsonNode lb = Fields.object(body.get("logit_bias"), "logit_bias");
      if (!lb.isEmpty()) {
        throw invalid("'logit_bias' is not supported by the upstream models", "logit_bias");
      }
    }
  }

  private List<ToolDefinition> tools(JsonNode tools) {
    Fields.array(tools, "tools");
    if (tools.size() > limits.maxTools()) {
      throw invalid("at most " + limits.maxTools() + " tools are allowed", "tools");
    }
    List<ToolDefinition> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      String p = "tools[" + i + "]";
      JsonNode t = Fields.object(tools.get(i), p);
      String type = Fields.requiredString(t, "type", p + ".type");
      if (!type.equals("function")) {
        throw invalid("only tools of type 'function' are supported", p + ".type");
      }
      JsonNode fn = Fields.object(Fields.required(t, "function", p + ".function"), p + ".function");
      String name = Fields.requiredString(fn, "name", p + ".function.name");
      Optional<String> description =
          Fields.optionalString(fn, "description", p + ".function.description");
      String parameters =
          Fields.present(fn, "parameters")
              ? json(Fields.object(fn.get("parameters"), p + ".function.parameters"))
              : "{\"type\":\"object\",\"properties\":{}}";
      try {
        out.add(new ToolDefinition(name, description, parameters));
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage(), p + ".function.name");
      }
    }
    return out;
  }

  /** {@code tool_choice} given as a word (chat and the Responses API spell them alike). */
  static ToolChoice keywordToolChoice(String word) {
    return switch (word) {
      case "auto" -> ToolChoice.AUTO;
      case "none" -> ToolChoice.NONE;
      case "required" -> ToolChoice.REQUIRED;
      default ->
          throw invalid("'tool_choice' must be auto, none, required or a function", "tool_choice");
    };
  }

  private static ToolChoice toolChoice(JsonNode v) {
    if (v.isTextual()) {
      return keywordToolChoice(v.textValue());
    }
    JsonNode o = Fields.object(v, "tool_choice");
    JsonNode fn =
        Fields.object(
            Fields.required(o, "function", "tool_choice.function"), "tool_choice.function");
    return new ToolChoice.Named(Fields.requiredString(fn, "name", "tool_choice.function.name"));
  }

  private static List<String> stop(JsonNode v) {
    if (v.isTextual()) {
      return List.of(v.textValue());
    }
    Fields.array(v, "stop");
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw invalid("'stop' must be a string or an array of strings", "stop");
      }
      out.add(s.textValue());
    }
    return out;
  }

  private ResponseFormat responseFormat(JsonNode v) {
    JsonNode o = Fields.object(v, "response_format");
    String type = Fields.requiredString(o, "type", "response_format.type");
    return switch (type) {
      case "text" -> ResponseFormat.TEXT;
      case "json_object" -> new ResponseFormat.JsonObject();
      case "json_schema" -> {
        JsonNode js =
            Fields.object(
                Fields.required(o, "json_schema", "response_format.json_schema"),
                "response_format.json_schema");
        yield new ResponseFormat.JsonSchema(
            Fields.requiredString(js, "name", "response_format.json_schema.name"),
            Fields.optionalString(js, "description", "response_format.json_schema.description"),
            Fields.present(js, "schema")
                ? json(Fields.object(js.get("schema"), "response_format.json_schema.schema"))
                : "{}",
            Fields.optionalBoolean(js, "strict", "response_format.json_schema.strict")
                .orElse(false));
      }
      default ->
          throw invalid(
              "'response_format.type' must be text, json_object or json_schema",
              "response_format.type");
    };
  }

  private String json(JsonNode node) {
    try {
      return mapper.writeValueAsString(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid("could not re-encode a JSON value", null);
    }
  }
}

package io.llmgateway.server.anthropic;

import static io.llmgateway.server.http.Fields.clip;
import static io.llmgateway.server.http.Fields.invalid;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.chat.CachePoints;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.chat.ToolDefinition;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.http.Fields;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * An Anthropic Messages request body ({@code POST /v1/messages}, and the same body less {@code
 * max_tokens} for {@code count_tokens}) to the canonical {@link ChatRequest}, so that it goes
 * through the same admission as a chat completion. Every top-level field is used, ignored because
 * dropping it is harmless ({@code thinking}, {@code service_tier}: see docs/SERVER.md), or refused
 * with a 400; a field the gateway does not know is refused too, and so is any field that would
 * choose the upstream ({@code aws_*}, {@code api_base} ...). Thread-safe.
 */
final class MessagesRequestParser {
  /** The largest {@code max_tokens} accepted; the admission clamps it to model and budget. */
  static final int MAX_TOKENS_ACCEPTED = 1_000_000;

  private static final Set<String> USED =
      Set.of(
          "model",
          "messages",
          "system",
          "max_tokens",
          "stop_sequences",
          "temperature",
          "top_p",
          "top_k",
          "tools",
          "tool_choice",
          "metadata",
          "stream");

  /**
   * Dropped without effect on what is charged: the answer simply has no thinking blocks, and the
   * service tier is Bedrock's on-demand one.
   */
  private static final Set<String> IGNORED = Set.of("thinking", "service_tier");

  private static final Set<String> UNSUPPORTED =
      Set.of("container", "mcp_servers", "context_management", "output_format", "inference_geo");

  private final ServerConfig.Limits limits;

  MessagesRequestParser(ServerConfig.Limits limits) {
    this.limits = limits;
  }

  /** A {@code /v1/messages} body: {@code max_tokens} is required, as Anthropic requires it. */
  ChatRequest parse(JsonNode body) {
    return parse(body, true);
  }

  /** A {@code count_tokens} body: the input only ({@code max_tokens} and {@code stream} unused). */
  ChatRequest parseForCount(JsonNode body) {
    return parse(body, false);
  }

  private ChatRequest parse(JsonNode body, boolean generate) {
    if (body == null || !body.isObject()) {
      throw new InvalidRequestException("request body must be a JSON object");
    }
    checkFields(body);
    String model = Fields.requiredString(body, "model", "model");
    if (model.isBlank() || model.length() > 256) {
      throw invalid("'model' must be 1 to 256 characters", "model");
    }
    ContentParser content = new ContentParser(limits);
    if (Fields.present(body, "system")) {
      content.system(body.get("system"));
    }
    content.messages(Fields.required(body, "messages", "messages"));
    ChatRequest.Builder b = ChatRequest.builder(model).messages(content.messages());
    Set<Integer> toolCache = new HashSet<>();
    if (Fields.present(body, "tools")) {
      b.tools(tools(body.get("tools"), toolCache));
    }
    if (Fields.present(body, "tool_choice")) {
      b.toolChoice(toolChoice(body.get("tool_choice")));
    }
    Fields.optionalNumber(body, "temperature")
        .ifPresent(
            t -> {
              if (t < 0 || t > 1) {
                throw invalid("'temperature' must be between 0 and 1", "temperature");
              }
              b.temperature(t);
            });
    Fields.optionalNumber(body, "top_p").ifPresent(b::topP);
    Fields.optionalInt(body, "top_k", 1, 500).ifPresent(b::topK);
    if (Fields.present(body, "stop_sequences")) {
      b.stop(stopSequences(body.get("stop_sequences")));
    }
    if (generate) {
      b.maxTokens(
          Fields.optionalInt(body, "max_tokens", 1, MAX_TOKENS_ACCEPTED)
              .orElseThrow(() -> invalid("'max_tokens' is required", "max_tokens")));
      b.stream(Fields.optionalBoolean(body, "stream", "stream").orElse(false));
    }
    if (Fields.present(body, "metadata")) {
      JsonNode md = Fields.object(body.get("metadata"), "metadata");
      Fields.optionalString(md, "user_id", "metadata.user_id").ifPresent(b::user);
    }
    try {
      return b.cachePoints(new CachePoints(content.cachePoints(), toolCache)).build();
    } catch (IllegalArgumentException e) {
      // The canonical records validate ranges and shapes; their messages are safe to show.
      throw new InvalidRequestException(e.getMessage());
    }
  }

  private static void checkFields(JsonNode body) {
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      String lower = f.toLowerCase(Locale.ROOT);
      if (lower.startsWith("aws_")
          || lower.startsWith("api_")
          || lower.equals("base_url")
          || lower.startsWith("extra_")) {
        throw invalid(
            "parameter '"
                + clip(f)
                + "' is not accepted: the gateway alone chooses the upstream endpoint and its"
                + " credentials",
            f);
      }
      if (UNSUPPORTED.contains(f)) {
        throw invalid("parameter '" + f + "' is not supported by this gateway", f);
      }
      if (!USED.contains(f) && !IGNORED.contains(f)) {
        throw invalid("unknown parameter '" + clip(f) + "'", f);
      }
    }
  }

  private List<ToolDefinition> tools(JsonNode tools, Set<Integer> cacheAfter) {
    Fields.array(tools, "tools");
    if (tools.size() > limits.maxTools()) {
      throw invalid("at most " + limits.maxTools() + " tools are allowed", "tools");
    }
    List<ToolDefinition> out = new ArrayList<>(tools.size());
    for (int i = 0; i < tools.size(); i++) {
      String p = "tools[" + i + "]";
      JsonNode t = Fields.object(tools.get(i), p);
      String type = Fields.optionalString(t, "type", p + ".type").orElse("custom");
      if (!type.equals("custom")) {
        throw invalid(
            "tool type '" + clip(type) + "' is not supported; only client (custom) tools are",
            p + ".type");
      }
      String name = Fields.requiredString(t, "name", p + ".name");
      JsonNode schema = Fields.object(Fields.required(t, "input_schema", p + ".input_schema"), p);
      try {
        out.add(
            new ToolDefinition(
                name,
                Fields.optionalString(t, "description", p + ".description"),
                schema.toString()));
      } catch (IllegalArgumentException e) {
        throw invalid(e.getMessage(), p + ".name");
      }
      if (ContentParser.cacheControl(t, p)) {
        cacheAfter.add(i);
      }
    }
    return out;
  }

  /** auto, any (must call a tool), tool (this one), none; disable_parallel_tool_use is ignored. */
  private static ToolChoice toolChoice(JsonNode v) {
    JsonNode o = Fields.object(v, "tool_choice");
    String type = Fields.requiredString(o, "type", "tool_choice.type");
    Fields.optionalBoolean(o, "disable_parallel_tool_use", "tool_choice.disable_parallel_tool_use");
    return switch (type) {
      case "auto" -> ToolChoice.AUTO;
      case "any" -> ToolChoice.REQUIRED;
      case "none" -> ToolChoice.NONE;
      case "tool" -> new ToolChoice.Named(Fields.requiredString(o, "name", "tool_choice.name"));
      default ->
          throw invalid("'tool_choice.type' must be auto, any, tool or none", "tool_choice.type");
    };
  }

  private static List<String> stopSequences(JsonNode v) {
    Fields.array(v, "stop_sequences");
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw invalid("'stop_sequences' must be an array of strings", "stop_sequences");
      }
      out.add(s.textValue());
    }
    return out;
  }
}

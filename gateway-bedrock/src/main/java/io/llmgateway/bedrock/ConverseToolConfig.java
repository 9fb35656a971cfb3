package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.chat.ToolDefinition;
import io.llmgateway.core.error.InvalidRequestException;
import java.util.List;
import java.util.Optional;

/**
 * Tools, tool choice and response formats to Converse's {@code toolConfig} JSON. OpenAI's "none"
 * has no Converse twin; response formats become a synthetic tool whose input is the answer
 * (LiteLLM's approach, reference doc 5). Stateless and thread-safe.
 */
final class ConverseToolConfig {

  /** The synthetic tool whose input is the JSON answer (LiteLLM's RESPONSE_FORMAT_TOOL_NAME). */
  static final String JSON_TOOL = "json_tool_call";

  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private ConverseToolConfig() {}

  /** The {@code toolConfig} to send, if any, and whether the answer comes through the JSON tool. */
  record Mapping(Optional<ObjectNode> config, boolean jsonMode) {}

  static Mapping map(ChatRequest r, boolean historyHasTools) {
    boolean jsonMode = !(r.responseFormat() instanceof ResponseFormat.Text);
    ToolChoice choice = r.toolChoice();
    if (historyHasTools && r.tools().isEmpty()) {
      // Bedrock refuses toolUse/toolResult blocks without a toolConfig.
      throw new InvalidRequestException(
          "the messages contain tool calls or tool results, so Bedrock needs the tools"
              + " parameter too",
          "tools");
    }
    if (choice instanceof ToolChoice.None && historyHasTools) {
      // Converse has no "none" choice, and it needs the tools declared for this history.
      throw new InvalidRequestException(
          "tool_choice 'none' is not supported by Bedrock when the messages contain tool calls;"
              + " use 'auto'",
          "tool_choice");
    }
    if (choice instanceof ToolChoice.Required && r.tools().isEmpty()) {
      throw new InvalidRequestException("tool_choice 'required' needs tools", "tool_choice");
    }
    // tool_choice none without tool history: not declaring the tools is the exact equivalent.
    List<ToolDefinition> declared = choice instanceof ToolChoice.None ? List.of() : r.tools();
    ArrayNode specs = F.arrayNode();
    for (int i = 0; i < declared.size(); i++) {
      ToolDefinition t = declared.get(i);
      if (jsonMode && t.name().equals(JSON_TOOL)) {
        throw new InvalidRequestException(
            "the tool name " + JSON_TOOL + " is reserved when response_format is set", "tools");
      }
      specs.add(spec(t.name(), t.description().orElse(t.name()), t.parametersJson(), "tools"));
      if (r.cachePoints().afterTools().contains(i)) {
        specs.add(ConverseRequestWriter.cachePoint());
      }
    }
    if (jsonMode) {
      specs.add(jsonTool(r.responseFormat()));
    }
    if (specs.isEmpty()) {
      return new Mapping(Optional.empty(), false);
    }
    ObjectNode mapped;
    if (declared.isEmpty() && jsonMode) {
      mapped = named(JSON_TOOL);
    } else {
      mapped =
          switch (choice) {
            // With a response format and tools, the model must either call a tool or answer
            // through the JSON tool; "auto" would allow free text.
            case ToolChoice.Auto a -> jsonMode ? simple("any") : simple("auto");
            case ToolChoice.Required q -> simple("any");
            case ToolChoice.Named n -> named(n.name());
            case ToolChoice.None n -> named(JSON_TOOL);
          };
    }
    ObjectNode config = F.objectNode();
    config.set("tools", specs);
    config.set("toolChoice", mapped);
    return new Mapping(Optional.of(config), jsonMode);
  }

  /** {@code {"auto":{}}} or {@code {"any":{}}}. */
  private static ObjectNode simple(String kind) {
    ObjectNode o = F.objectNode();
    o.putObject(kind);
    return o;
  }

  private static ObjectNode named(String name) {
    ObjectNode o = F.objectNode();
    o.putObject("tool").put("name", name);
    return o;
  }

  private static ObjectNode jsonTool(ResponseFormat format) {
    return switch (format) {
      case ResponseFormat.JsonSchema s ->
          spec(
              JSON_TOOL,
              s.description().orElse("Respond with a JSON object matching the schema " + s.name()),
              s.schemaJson(),
              "response_format");
      default ->
          spec(
              JSON_TOOL,
              "Respond with a JSON object",
              "{\"type\":\"object\",\"additionalProperties\":true,\"properties\":{}}",
              "response_format");
    };
  }

  private static ObjectNode spec(String name, String description, String schemaJson, String param) {
    ObjectNode schema =
        Json.object(
            schemaJson.isBlank() ? "{}" : schemaJson,
            param,
            "the JSON schema of " + name,
            " must be an object");
    // Converse: "The top level schema type must be object."
    JsonNode type = schema.get("type");
    if (type == null) {
      schema.put("type", "object");
      if (!schema.has("properties")) {
        schema.putObject("properties");
      }
    } else if (!"object".equals(type.asText())) {
      throw new InvalidRequestException(
          "Bedrock needs the JSON schema of " + name + " to have type object at the top level",
          param);
    }
    ObjectNode tool = F.objectNode();
    tool.putObject("toolSpec")
        .put("name", name)
        .put("description", description)
        .putObject("inputSchema")
        .set("json", schema);
    return tool;
  }
}

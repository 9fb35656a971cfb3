package io.llmgateway.bedrock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ResponseFormat;
import io.llmgateway.core.chat.ToolChoice;
import io.llmgateway.core.chat.ToolDefinition;
import io.llmgateway.core.error.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolSpecification;

/**
 * Tools, tool choice and response formats to Converse's {@code toolConfig}. OpenAI's "none" has no
 * Converse twin; response formats become a synthetic tool whose input is the answer (LiteLLM's
 * approach, reference doc 5). Stateless and thread-safe.
 */
final class ConverseTools {

  /** The synthetic tool whose input is the JSON answer (LiteLLM's RESPONSE_FORMAT_TOOL_NAME). */
  static final String JSON_TOOL = "json_tool_call";

  private ConverseTools() {}

  /** The tool configuration to send, if any, and whether the answer comes through the JSON tool. */
  record Mapping(Optional<ToolConfiguration> config, boolean jsonMode) {}

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
    List<Tool> specs = new ArrayList<>();
    for (ToolDefinition t : declared) {
      if (jsonMode && t.name().equals(JSON_TOOL)) {
        throw new InvalidRequestException(
            "the tool name " + JSON_TOOL + " is reserved when response_format is set", "tools");
      }
      specs.add(spec(t.name(), t.description().orElse(t.name()), t.parametersJson(), "tools"));
    }
    if (jsonMode) {
      specs.add(jsonTool(r.responseFormat()));
    }
    if (specs.isEmpty()) {
      return new Mapping(Optional.empty(), false);
    }
    software.amazon.awssdk.services.bedrockruntime.model.ToolChoice mapped;
    if (declared.isEmpty() && jsonMode) {
      mapped = named(JSON_TOOL);
    } else {
      mapped =
          switch (choice) {
            // With a response format and tools, the model must either call a tool or answer
            // through the JSON tool; "auto" would allow free text.
            case ToolChoice.Auto a -> jsonMode ? any() : auto();
            case ToolChoice.Required q -> any();
            case ToolChoice.Named n -> named(n.name());
            case ToolChoice.None n -> named(JSON_TOOL);
          };
    }
    return new Mapping(
        Optional.of(ToolConfiguration.builder().tools(specs).toolChoice(mapped).build()), jsonMode);
  }

  // Converse's ToolChoice shares its simple name with the canonical one, hence the full names.
  private static software.amazon.awssdk.services.bedrockruntime.model.ToolChoice auto() {
    return software.amazon.awssdk.services.bedrockruntime.model.ToolChoice.fromAuto(x -> {});
  }

  private static software.amazon.awssdk.services.bedrockruntime.model.ToolChoice any() {
    return software.amazon.awssdk.services.bedrockruntime.model.ToolChoice.fromAny(x -> {});
  }

  private static software.amazon.awssdk.services.bedrockruntime.model.ToolChoice named(
      String name) {
    return software.amazon.awssdk.services.bedrockruntime.model.ToolChoice.fromTool(
        t -> t.name(name));
  }

  private static Tool jsonTool(ResponseFormat format) {
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

  private static Tool spec(String name, String description, String schemaJson, String param) {
    JsonNode node;
    try {
      node = Json.MAPPER.readTree(schemaJson.isBlank() ? "{}" : schemaJson);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("the JSON schema of " + name + " is not valid JSON", param);
    }
    if (node == null || !node.isObject()) {
      throw new InvalidRequestException("the JSON schema of " + name + " must be an object", param);
    }
    ObjectNode schema = (ObjectNode) node;
    // Converse: "The top level schema type must be object."
    if (!schema.has("type")) {
      schema.put("type", "object");
      if (!schema.has("properties")) {
        schema.putObject("properties");
      }
    } else if (!"object".equals(schema.get("type").asText())) {
      throw new InvalidRequestException(
          "Bedrock needs the JSON schema of " + name + " to have type object at the top level",
          param);
    }
    return Tool.fromToolSpec(
        ToolSpecification.builder()
            .name(name)
            .description(description)
            .inputSchema(ToolInputSchema.fromJson(Json.toDocument(schema)))
            .build());
  }
}

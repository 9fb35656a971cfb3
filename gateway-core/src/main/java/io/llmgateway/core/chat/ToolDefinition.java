package io.llmgateway.core.chat;

import java.util.Objects;
import java.util.Optional;

/**
 * A function the model may call: name, description and JSON Schema of its parameters (as JSON
 * object text). Immutable and thread-safe.
 */
public record ToolDefinition(String name, Optional<String> description, String parametersJson) {
  public ToolDefinition {
    if (name == null || !name.matches("[a-zA-Z0-9_-]{1,64}")) {
      throw new IllegalArgumentException(
          "tool name must be 1 to 64 letters, digits, underscores or hyphens");
    }
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(parametersJson, "parametersJson");
  }
}

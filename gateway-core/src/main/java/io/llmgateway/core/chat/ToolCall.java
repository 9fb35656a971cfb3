package io.llmgateway.core.chat;

import java.util.Objects;

/**
 * A function call made by the assistant: its id, the function name and the arguments as a JSON
 * object text. Immutable and thread-safe.
 */
public record ToolCall(String id, String name, String argumentsJson) {
  public ToolCall {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(argumentsJson, "argumentsJson");
  }
}

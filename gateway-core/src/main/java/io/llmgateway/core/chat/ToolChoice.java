package io.llmgateway.core.chat;

import java.util.Objects;

/** How the model may use tools. Immutable and thread-safe. */
public sealed interface ToolChoice {
  /** The model decides (the default). */
  record Auto() implements ToolChoice {}

  /** The model must not call a tool. */
  record None() implements ToolChoice {}

  /** The model must call at least one tool. */
  record Required() implements ToolChoice {}

  /** The model must call this tool. */
  record Named(String name) implements ToolChoice {
    public Named {
      Objects.requireNonNull(name, "name");
    }
  }

  ToolChoice AUTO = new Auto();
  ToolChoice NONE = new None();
  ToolChoice REQUIRED = new Required();
}

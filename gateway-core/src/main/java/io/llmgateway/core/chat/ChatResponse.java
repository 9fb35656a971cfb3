package io.llmgateway.core.chat;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A complete (non-streamed) answer. Immutable and thread-safe. */
public record ChatResponse(
    String id,
    String model,
    Instant created,
    Optional<String> text,
    List<ToolCall> toolCalls,
    FinishReason finishReason,
    TokenUsage usage) {
  public ChatResponse {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(created, "created");
    Objects.requireNonNull(text, "text");
    toolCalls = List.copyOf(toolCalls);
    Objects.requireNonNull(finishReason, "finishReason");
    Objects.requireNonNull(usage, "usage");
  }
}

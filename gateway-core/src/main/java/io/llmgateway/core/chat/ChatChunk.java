package io.llmgateway.core.chat;

import java.util.Objects;
import java.util.Optional;

/**
 * One piece of a streamed answer. A well-formed stream is deltas, then one {@link Finish}, then one
 * {@link Usage}. Immutable and thread-safe.
 */
public sealed interface ChatChunk {

  /** More answer text. */
  record TextDelta(String text) implements ChatChunk {
    public TextDelta {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * Part of a tool call. The first delta of a call carries its id and name; later ones carry
   * argument JSON fragments. {@code index} counts tool calls in this answer from 0.
   */
  record ToolCallDelta(
      int index, Optional<String> id, Optional<String> name, String argumentsFragment)
      implements ChatChunk {
    public ToolCallDelta {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(argumentsFragment, "argumentsFragment");
    }
  }

  /** The model stopped. */
  record Finish(FinishReason reason) implements ChatChunk {
    public Finish {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Token usage of the whole answer. */
  record Usage(TokenUsage usage) implements ChatChunk {
    public Usage {
      Objects.requireNonNull(usage, "usage");
    }
  }
}

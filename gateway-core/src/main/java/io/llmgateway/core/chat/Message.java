package io.llmgateway.core.chat;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One chat message. Immutable and thread-safe. */
public sealed interface Message {

  Role role();

  /** Instructions for the model. */
  record System(String text) implements Message {
    public System {
      Objects.requireNonNull(text, "text");
    }

    @Override
    public Role role() {
      return Role.SYSTEM;
    }
  }

  /** What the user says: text and images. */
  record User(List<ContentPart> content) implements Message {
    public User {
      content = List.copyOf(content);
      if (content.isEmpty()) {
        throw new IllegalArgumentException("a user message needs content");
      }
    }

    public static User text(String text) {
      return new User(List.of(new ContentPart.Text(text)));
    }

    @Override
    public Role role() {
      return Role.USER;
    }
  }

  /** What the assistant said earlier: text, tool calls, or both. */
  record Assistant(Optional<String> text, List<ToolCall> toolCalls) implements Message {
    public Assistant {
      Objects.requireNonNull(text, "text");
      toolCalls = List.copyOf(toolCalls);
      if (text.isEmpty() && toolCalls.isEmpty()) {
        throw new IllegalArgumentException("an assistant message needs content or tool calls");
      }
    }

    @Override
    public Role role() {
      return Role.ASSISTANT;
    }
  }

  /** The result of a tool call, sent back to the model. */
  record Tool(String toolCallId, String content) implements Message {
    public Tool {
      Objects.requireNonNull(toolCallId, "toolCallId");
      Objects.requireNonNull(content, "content");
    }

    @Override
    public Role role() {
      return Role.TOOL;
    }
  }
}

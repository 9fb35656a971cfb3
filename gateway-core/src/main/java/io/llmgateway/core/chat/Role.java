package io.llmgateway.core.chat;

/** Who wrote a message. */
public enum Role {
  SYSTEM,
  USER,
  ASSISTANT,
  TOOL
}

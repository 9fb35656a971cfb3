package io.llmgateway.core.chat;

import java.util.Locale;

/** Why the model stopped, in OpenAI's vocabulary. */
public enum FinishReason {
  STOP,
  LENGTH,
  TOOL_CALLS,
  CONTENT_FILTER;

  /** {@code stop}, {@code length}, {@code tool_calls}, {@code content_filter}. */
  public String openAiName() {
    return name().toLowerCase(Locale.ROOT);
  }
}

package io.llmgateway.bedrock;

import io.llmgateway.core.chat.FinishReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Converse stop reasons to OpenAI finish reasons, on the raw string from the answer, so values
 * newer than this code map too (the SDK's enum said UNKNOWN_TO_SDK_VERSION for them, reference doc
 * 1.4). Stateless and thread-safe.
 */
final class StopReasons {
  private static final Logger LOG = LoggerFactory.getLogger(StopReasons.class);

  private StopReasons() {}

  static FinishReason map(String stopReason) {
    if (stopReason == null) {
      LOG.warn("Bedrock answer without a stop reason; reporting stop");
      return FinishReason.STOP;
    }
    return switch (stopReason) {
      case "end_turn", "stop_sequence" -> FinishReason.STOP;
      case "max_tokens", "model_context_window_exceeded" -> FinishReason.LENGTH;
      case "tool_use" -> FinishReason.TOOL_CALLS;
      case "guardrail_intervened", "content_filtered" -> FinishReason.CONTENT_FILTER;
      default -> {
        // malformed_model_output, malformed_tool_use and values newer than this code.
        LOG.warn("Bedrock stop reason '{}' has no OpenAI equivalent; reporting stop", stopReason);
        yield FinishReason.STOP;
      }
    };
  }
}

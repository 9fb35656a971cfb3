package io.llmgateway.bedrock;

import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.ProviderRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;

/**
 * Converse answer to the canonical response: text blocks joined, tool calls with their ids and JSON
 * arguments, finish reason, reported usage. In JSON mode the synthetic tool's input becomes the
 * text. Stateless and thread-safe.
 */
final class ConverseResponseMapper {
  private ConverseResponseMapper() {}

  static ChatResponse map(ProviderRequest pr, ConverseInput input, ConverseResponse r) {
    if (r.output() == null || r.output().message() == null || r.usage() == null) {
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Kind.BAD_RESPONSE,
          true,
          "Bedrock answered without a message or usage");
    }
    StringBuilder text = new StringBuilder();
    boolean hasText = false;
    List<ToolCall> calls = new ArrayList<>();
    boolean answeredThroughJsonTool = false;
    for (ContentBlock b : r.output().message().content()) {
      if (b.text() != null) {
        text.append(b.text());
        hasText = true;
      } else if (b.toolUse() != null) {
        String args = Json.text(b.toolUse().input());
        if (input.jsonMode() && ConverseRequestMapper.JSON_TOOL.equals(b.toolUse().name())) {
          // The JSON answer replaces any preamble text the model wrote around the tool call.
          text.setLength(0);
          text.append(args);
          hasText = true;
          answeredThroughJsonTool = true;
        } else {
          calls.add(new ToolCall(b.toolUse().toolUseId(), b.toolUse().name(), args));
        }
      }
    }
    FinishReason finish = StopReasons.map(r.stopReasonAsString());
    if (answeredThroughJsonTool && calls.isEmpty() && finish == FinishReason.TOOL_CALLS) {
      finish = FinishReason.STOP;
    }
    TokenUsage usage = Usages.reported(r.usage());
    return new ChatResponse(
        pr.requestId(),
        pr.request().model(),
        Instant.now(),
        hasText ? Optional.of(text.toString()) : Optional.empty(),
        calls,
        finish,
        usage);
  }
}

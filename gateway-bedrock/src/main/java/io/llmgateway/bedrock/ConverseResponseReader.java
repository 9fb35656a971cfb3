package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.provider.ProviderRequest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Converse answer (the parsed JSON body) to the canonical response: text blocks joined, tool calls
 * with their ids and JSON arguments, finish reason, reported usage. In JSON mode the synthetic
 * tool's input becomes the text. Stateless and thread-safe.
 */
final class ConverseResponseReader {
  private ConverseResponseReader() {}

  static ChatResponse map(ProviderRequest pr, ConverseCall call, JsonNode r) {
    JsonNode content = r.path("output").path("message").path("content");
    JsonNode usageNode = r.get("usage");
    if (!content.isArray() || usageNode == null || !usageNode.isObject()) {
      throw new ProviderUnavailableException(
          ProviderUnavailableException.Kind.BAD_RESPONSE,
          Billing.MAYBE_BILLED,
          true,
          "Bedrock answered without a message or usage");
    }
    StringBuilder text = new StringBuilder();
    boolean hasText = false;
    List<ToolCall> calls = new ArrayList<>();
    boolean answeredThroughJsonTool = false;
    for (JsonNode b : content) {
      JsonNode t = b.get("text");
      JsonNode use = b.get("toolUse");
      if (t != null && t.isTextual()) {
        text.append(t.asText());
        hasText = true;
      } else if (use != null && use.isObject()) {
        String name = use.path("name").asText();
        String args = Json.text(use.get("input"));
        if (call.jsonMode() && ConverseRequestWriter.JSON_TOOL.equals(name)) {
          // The JSON answer replaces any preamble text the model wrote around the tool call.
          text.setLength(0);
          text.append(args);
          hasText = true;
          answeredThroughJsonTool = true;
        } else {
          calls.add(new ToolCall(use.path("toolUseId").asText(), name, args));
        }
      }
      // reasoningContent, citationsContent and other block kinds are not part of the answer.
    }
    JsonNode stop = r.get("stopReason");
    FinishReason finish = StopReasons.map(stop == null || stop.isNull() ? null : stop.asText());
    if (answeredThroughJsonTool && calls.isEmpty() && finish == FinishReason.TOOL_CALLS) {
      finish = FinishReason.STOP;
    }
    TokenUsage usage = Usages.reported(usageNode);
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

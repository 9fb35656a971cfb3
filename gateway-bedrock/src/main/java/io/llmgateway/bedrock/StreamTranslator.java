package io.llmgateway.bedrock;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.ProviderUnavailableException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * ConverseStream events (type and JSON payload) to canonical chunks, for one stream. Text deltas
 * pass through (production sends no contentBlockStart for text); a toolUse start opens a tool call
 * numbered by a running counter (not the content-block index, as LiteLLM does) and carries its id
 * and name; its input fragments follow. messageStop gives the Finish and metadata (which comes
 * after it) the Usage. In JSON mode the synthetic tool's input is streamed as text.
 *
 * <p>{@link #on} and {@link #end} are called from one thread; {@link #usageSoFar} from any.
 */
final class StreamTranslator {
  private final boolean jsonMode;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private final Set<Integer> blocksWithInput = new HashSet<>();
  private final Set<Integer> jsonBlocks = new HashSet<>();
  private int toolCalls;
  private boolean answeredThroughJsonTool;
  private boolean sawStop;
  private volatile TokenUsage reported;

  StreamTranslator(boolean jsonMode) {
    this.jsonMode = jsonMode;
  }

  /** The chunks for one event, by its {@code :event-type} and JSON payload. */
  List<ChatChunk> on(String eventType, JsonNode e) {
    return switch (eventType) {
      case "contentBlockStart" -> start(e);
      case "contentBlockDelta" -> delta(e);
      case "contentBlockStop" -> stop(e);
      case "messageStop" -> {
        sawStop = true;
        JsonNode reason = e.get("stopReason");
        FinishReason finish = StopReasons.map(reason == null ? null : reason.asText());
        if (answeredThroughJsonTool && toolCalls == 0 && finish == FinishReason.TOOL_CALLS) {
          finish = FinishReason.STOP;
        }
        yield List.of(new ChatChunk.Finish(finish));
      }
      case "metadata" -> {
        JsonNode usage = e.get("usage");
        if (usage == null || !usage.isObject()) {
          throw bad("Bedrock sent stream metadata without usage");
        }
        TokenUsage u = Usages.reported(usage);
        reported = u;
        yield List.of(new ChatChunk.Usage(u));
      }
      // messageStart and event types newer than this code carry nothing we forward.
      default -> List.of();
    };
  }

  private List<ChatChunk> start(JsonNode e) {
    JsonNode toolUse = e.path("start").path("toolUse");
    if (!toolUse.isObject()) {
      return List.of();
    }
    int block = blockIndex(e);
    JsonNode id = toolUse.get("toolUseId");
    JsonNode nameNode = toolUse.get("name");
    if (id == null || !id.isTextual() || nameNode == null || !nameNode.isTextual()) {
      throw bad("Bedrock started a tool call without its id or name");
    }
    String name = nameNode.asText();
    if (jsonMode && ConverseRequestWriter.JSON_TOOL.equals(name)) {
      jsonBlocks.add(block);
      answeredThroughJsonTool = true;
      return List.of();
    }
    int index = toolCalls++;
    toolIndexByBlock.put(block, index);
    return List.of(
        new ChatChunk.ToolCallDelta(index, Optional.of(id.asText()), Optional.of(name), ""));
  }

  private List<ChatChunk> delta(JsonNode e) {
    JsonNode d = e.get("delta");
    if (d == null || !d.isObject()) {
      return List.of();
    }
    JsonNode text = d.get("text");
    if (text != null && text.isTextual()) {
      String t = text.asText();
      if (t.isEmpty()) {
        return List.of();
      }
      return List.of(new ChatChunk.TextDelta(t));
    }
    JsonNode input = d.path("toolUse").get("input");
    if (input != null && input.isTextual()) {
      int block = blockIndex(e);
      String fragment = input.asText();
      blocksWithInput.add(block);
      if (jsonBlocks.contains(block)) {
        return fragment.isEmpty() ? List.of() : List.of(new ChatChunk.TextDelta(fragment));
      }
      Integer index = toolIndexByBlock.get(block);
      if (index == null) {
        throw bad("Bedrock streamed tool input without starting the tool call");
      }
      return List.of(
          new ChatChunk.ToolCallDelta(index, Optional.empty(), Optional.empty(), fragment));
    }
    // reasoningContent, citations and other delta kinds are not part of the OpenAI answer.
    return List.of();
  }

  private List<ChatChunk> stop(JsonNode e) {
    int block = blockIndex(e);
    if (blocksWithInput.contains(block)) {
      return List.of();
    }
    // A tool call without arguments still needs valid JSON arguments (LiteLLM emits "{}" too).
    if (jsonBlocks.contains(block)) {
      return List.of(new ChatChunk.TextDelta("{}"));
    }
    Integer index = toolIndexByBlock.get(block);
    if (index != null) {
      return List.of(new ChatChunk.ToolCallDelta(index, Optional.empty(), Optional.empty(), "{}"));
    }
    return List.of();
  }

  /** Called at the normal end of the event stream; a stream without its final events is broken. */
  void end() {
    if (!sawStop) {
      throw bad("Bedrock's stream ended before the model finished (no messageStop)");
    }
    if (reported == null) {
      throw bad("Bedrock's stream ended without usage metadata");
    }
  }

  /** The usage Bedrock reported, or empty: before the metadata event usage is unknown. */
  Optional<TokenUsage> usageSoFar() {
    return Optional.ofNullable(reported);
  }

  private static int blockIndex(JsonNode e) {
    JsonNode i = e.get("contentBlockIndex");
    return i == null || !i.canConvertToInt() ? -1 : i.asInt();
  }

  private static ProviderUnavailableException bad(String message) {
    return new ProviderUnavailableException(
        ProviderUnavailableException.Kind.BAD_RESPONSE, Billing.MAYBE_BILLED, true, message);
  }
}

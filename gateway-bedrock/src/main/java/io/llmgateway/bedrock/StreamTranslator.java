package io.llmgateway.bedrock;

import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.FinishReason;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.ProviderUnavailableException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDelta;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockDeltaEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStartEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlockStopEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamMetadataEvent;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamOutput;
import software.amazon.awssdk.services.bedrockruntime.model.MessageStopEvent;

/**
 * ConverseStream events to canonical chunks, for one stream. Text deltas pass through (production
 * sends no contentBlockStart for text); a toolUse start opens a tool call numbered by a running
 * counter (not the content-block index, as LiteLLM does) and carries its id and name; its input
 * fragments follow. messageStop gives the Finish and metadata (which comes after it) the Usage. In
 * JSON mode the synthetic tool's input is streamed as text.
 *
 * <p>{@link #on} and {@link #end} are called from one thread; {@link #usageSoFar} from any.
 */
final class StreamTranslator {
  private final boolean jsonMode;
  private final long estimatedInputTokens;
  private final Map<Integer, Integer> toolIndexByBlock = new HashMap<>();
  private final Set<Integer> blocksWithInput = new HashSet<>();
  private final Set<Integer> jsonBlocks = new HashSet<>();
  private int toolCalls;
  private boolean answeredThroughJsonTool;
  private boolean sawStop;
  private volatile TokenUsage reported;
  private volatile long streamedChars;

  StreamTranslator(boolean jsonMode, long estimatedInputTokens) {
    this.jsonMode = jsonMode;
    this.estimatedInputTokens = estimatedInputTokens;
  }

  List<ChatChunk> on(ConverseStreamOutput event) {
    return switch (event) {
      case ContentBlockStartEvent e -> start(e);
      case ContentBlockDeltaEvent e -> delta(e);
      case ContentBlockStopEvent e -> stop(e);
      case MessageStopEvent e -> {
        sawStop = true;
        FinishReason finish = StopReasons.map(e.stopReasonAsString());
        if (answeredThroughJsonTool && toolCalls == 0 && finish == FinishReason.TOOL_CALLS) {
          finish = FinishReason.STOP;
        }
        yield List.of(new ChatChunk.Finish(finish));
      }
      case ConverseStreamMetadataEvent e -> {
        if (e.usage() == null) {
          throw bad("Bedrock sent stream metadata without usage");
        }
        TokenUsage u = Usages.reported(e.usage());
        reported = u;
        yield List.of(new ChatChunk.Usage(u));
      }
      // messageStart and event types newer than this code carry nothing we forward.
      default -> List.of();
    };
  }

  private List<ChatChunk> start(ContentBlockStartEvent e) {
    if (e.start() == null || e.start().toolUse() == null) {
      return List.of();
    }
    int block = blockIndex(e.contentBlockIndex());
    String name = e.start().toolUse().name();
    if (jsonMode && ConverseRequestMapper.JSON_TOOL.equals(name)) {
      jsonBlocks.add(block);
      answeredThroughJsonTool = true;
      return List.of();
    }
    int index = toolCalls++;
    toolIndexByBlock.put(block, index);
    return List.of(
        new ChatChunk.ToolCallDelta(
            index, Optional.of(e.start().toolUse().toolUseId()), Optional.of(name), ""));
  }

  private List<ChatChunk> delta(ContentBlockDeltaEvent e) {
    ContentBlockDelta d = e.delta();
    if (d == null) {
      return List.of();
    }
    if (d.text() != null) {
      if (d.text().isEmpty()) {
        return List.of();
      }
      streamedChars += d.text().length();
      return List.of(new ChatChunk.TextDelta(d.text()));
    }
    if (d.toolUse() != null && d.toolUse().input() != null) {
      int block = blockIndex(e.contentBlockIndex());
      String fragment = d.toolUse().input();
      streamedChars += fragment.length();
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

  private List<ChatChunk> stop(ContentBlockStopEvent e) {
    int block = blockIndex(e.contentBlockIndex());
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

  /** The reported usage, or an estimate from the prompt and the streamed text. */
  Optional<TokenUsage> usageSoFar() {
    TokenUsage u = reported;
    if (u != null) {
      return Optional.of(u);
    }
    return Optional.of(
        TokenUsage.estimated(estimatedInputTokens, Usages.estimateTokens(streamedChars)));
  }

  private static int blockIndex(Integer i) {
    return i == null ? -1 : i;
  }

  private static ProviderUnavailableException bad(String message) {
    return new ProviderUnavailableException(
        ProviderUnavailableException.Kind.BAD_RESPONSE, true, message);
  }
}

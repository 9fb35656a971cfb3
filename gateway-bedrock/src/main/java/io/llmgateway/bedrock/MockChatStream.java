package io.llmgateway.bedrock;

import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.chat.ToolCall;
import io.llmgateway.core.provider.ChatStream;
import java.time.Duration;
import java.util.Optional;

/**
 * Emits a {@link MockAnswer} one token per chunk (waiting the inter-token delay between tokens),
 * then Finish, then Usage. {@link #next()} is for one reader; {@link #close()} and {@link
 * #usageSoFar()} may be called from any thread.
 */
final class MockChatStream implements ChatStream {
  private final MockAnswer answer;
  private final Duration interTokenDelay;
  private int step;
  private volatile boolean usageSent;
  private volatile boolean closed;

  MockChatStream(MockAnswer answer, Duration interTokenDelay) {
    this.answer = answer;
    this.interTokenDelay = interTokenDelay;
  }

  @Override
  public Optional<ChatChunk> next() {
    if (closed) {
      return Optional.empty();
    }
    int s = step++;
    return answer.toolCall().isPresent() ? toolStep(s, answer.toolCall().get()) : textStep(s);
  }

  private Optional<ChatChunk> toolStep(int s, ToolCall c) {
    return switch (s) {
      case 0 ->
          Optional.of(
              new ChatChunk.ToolCallDelta(0, Optional.of(c.id()), Optional.of(c.name()), ""));
      case 1 ->
          Optional.of(
              new ChatChunk.ToolCallDelta(
                  0, Optional.empty(), Optional.empty(), c.argumentsJson()));
      case 2 -> Optional.of(new ChatChunk.Finish(answer.finish()));
      case 3 -> usage();
      default -> Optional.empty();
    };
  }

  private Optional<ChatChunk> textStep(int s) {
    int prefix = answer.json() ? 1 : 0;
    if (s < prefix) {
      return Optional.of(new ChatChunk.TextDelta(MockAnswer.JSON_PREFIX));
    }
    int t = s - prefix;
    if (t < answer.tokens()) {
      if (t > 0) {
        MockModelProvider.sleep(interTokenDelay);
      }
      return Optional.of(new ChatChunk.TextDelta(answer.token(t)));
    }
    int after = t - answer.tokens() - prefix;
    if (after < 0) {
      return Optional.of(new ChatChunk.TextDelta(MockAnswer.JSON_SUFFIX));
    }
    return switch (after) {
      case 0 -> Optional.of(new ChatChunk.Finish(answer.finish()));
      case 1 -> usage();
      default -> Optional.empty();
    };
  }

  private Optional<ChatChunk> usage() {
    usageSent = true;
    return Optional.of(new ChatChunk.Usage(answer.usage()));
  }

  @Override
  public Optional<TokenUsage> usageSoFar() {
    // Like a provider, the mock reports usage once, at the end; before that it is unknown.
    return usageSent ? Optional.of(answer.usage()) : Optional.empty();
  }

  @Override
  public void close() {
    closed = true;
  }
}

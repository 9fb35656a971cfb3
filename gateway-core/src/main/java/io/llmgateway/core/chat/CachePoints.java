package io.llmgateway.core.chat;

import java.util.Set;

/**
 * Where a provider may cache the prompt prefix: after the messages and after the tools at these
 * indices (Anthropic's {@code cache_control}, Bedrock Converse's {@code cachePoint} blocks). A
 * provider that cannot cache ignores them: they never change the answer, only how the input is
 * billed (cache writes and reads, reported in {@link TokenUsage}). Immutable and thread-safe.
 */
public record CachePoints(Set<Integer> afterMessages, Set<Integer> afterTools) {
  /** Anthropic's and Bedrock's limit of cache checkpoints per request. */
  public static final int MAX = 4;

  public static final CachePoints NONE = new CachePoints(Set.of(), Set.of());

  public CachePoints {
    afterMessages = Set.copyOf(afterMessages);
    afterTools = Set.copyOf(afterTools);
    if (afterMessages.size() + afterTools.size() > MAX) {
      throw new IllegalArgumentException("a request may set at most " + MAX + " cache points");
    }
  }

  public boolean isEmpty() {
    return afterMessages.isEmpty() && afterTools.isEmpty();
  }
}

package io.llmgateway.bedrock;

import io.llmgateway.core.chat.TokenUsage;

/**
 * Bedrock token usage to the canonical one. Bedrock's {@code inputTokens} already excludes cache
 * reads and writes (its {@code totalTokens} adds them), which is what {@link TokenUsage} wants.
 * Usage Bedrock did not report is unknown: nothing here estimates it (the core charges a stream
 * without usage by its own rule, docs/CORE.md). Stateless and thread-safe.
 */
final class Usages {
  private Usages() {}

  /** From a Converse {@code usage} JSON object; absent counts are zero. */
  static TokenUsage reported(com.fasterxml.jackson.databind.JsonNode u) {
    return new TokenUsage(
        n(u, "inputTokens"),
        n(u, "outputTokens"),
        n(u, "cacheReadInputTokens"),
        n(u, "cacheWriteInputTokens"),
        TokenUsage.Source.REPORTED);
  }

  private static long n(com.fasterxml.jackson.databind.JsonNode u, String field) {
    com.fasterxml.jackson.databind.JsonNode v = u.get(field);
    return v == null || !v.canConvertToLong() ? 0 : Math.max(0, v.asLong());
  }
}

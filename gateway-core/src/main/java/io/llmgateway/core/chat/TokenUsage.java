package io.llmgateway.core.chat;

import io.llmgateway.core.money.CostCalculator;
import java.util.Objects;

/**
 * Tokens one request used. {@code inputTokens} excludes cached tokens, which are counted in {@code
 * cacheReadTokens} and {@code cacheWriteTokens}. {@code source} says whether the provider reported
 * the numbers or the gateway estimated them; an unknown usage is an empty {@code Optional}, never
 * zero. Immutable and thread-safe.
 */
public record TokenUsage(
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    Source source) {

  /** Who produced the numbers. */
  public enum Source {
    REPORTED,
    ESTIMATED
  }

  public TokenUsage {
    check("input", inputTokens);
    check("output", outputTokens);
    check("cache read", cacheReadTokens);
    check("cache write", cacheWriteTokens);
    Objects.requireNonNull(source, "source");
  }

  private static void check(String what, long tokens) {
    if (tokens < 0 || tokens > CostCalculator.MAX_TOKENS) {
      throw new IllegalArgumentException(what + " token count out of range: " + tokens);
    }
  }

  public static TokenUsage reported(long input, long output) {
    return new TokenUsage(input, output, 0, 0, Source.REPORTED);
  }

  public static TokenUsage estimated(long input, long output) {
    return new TokenUsage(input, output, 0, 0, Source.ESTIMATED);
  }

  /** Every prompt-side token, cached or not (OpenAI's {@code prompt_tokens}). */
  public long promptTokens() {
    return inputTokens + cacheReadTokens + cacheWriteTokens;
  }

  public long totalTokens() {
    return promptTokens() + outputTokens;
  }
}

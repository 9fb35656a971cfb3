package io.llmgateway.core.catalog;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.CostCalculator;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.money.Price;
import java.util.Objects;

/**
 * The prices of one deployment. Cache reads and writes have their own prices (for Nova, cached
 * reads are discounted); they default to the input price, which never under-charges. Immutable and
 * thread-safe.
 */
public record Pricing(Price input, Price output, Price cacheRead, Price cacheWrite) {
  public Pricing {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(cacheRead, "cacheRead");
    Objects.requireNonNull(cacheWrite, "cacheWrite");
  }

  public static Pricing of(Price input, Price output) {
    return new Pricing(input, output, input, input);
  }

  /** Input and output prices in USD per 1M tokens, e.g. {@code ("0.035", "0.14")}. */
  public static Pricing perMillionUsd(String input, String output) {
    return of(Price.perMillionUsd(input), Price.perMillionUsd(output));
  }

  /** The cost of a usage: every line summed exactly, rounded up once. */
  public Money cost(TokenUsage usage) {
    return CostCalculator.sum(
        new long[] {
          usage.inputTokens(),
          usage.outputTokens(),
          usage.cacheReadTokens(),
          usage.cacheWriteTokens()
        },
        new Price[] {input, output, cacheRead, cacheWrite});
  }

  /** The most a request can cost with at most these input and output tokens. */
  public Money worstCase(long inputTokens, long outputTokens) {
    // Cached tokens are a subset of input and never dearer than the dearest input price.
    Price dearestInput = max(max(input, cacheRead), cacheWrite);
    return CostCalculator.cost(inputTokens, dearestInput, outputTokens, output);
  }

  /** Each price the dearer of this and {@code other}: what failover between the two can cost. */
  public Pricing dearest(Pricing other) {
    return new Pricing(
        max(input, other.input),
        max(output, other.output),
        max(cacheRead, other.cacheRead),
        max(cacheWrite, other.cacheWrite));
  }

  public Price dearestInput() {
    return max(max(input, cacheRead), cacheWrite);
  }

  private static Price max(Price a, Price b) {
    return a.nanosPerMillionTokens() >= b.nanosPerMillionTokens() ? a : b;
  }
}

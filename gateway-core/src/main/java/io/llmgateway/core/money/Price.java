package io.llmgateway.core.money;

import java.math.BigDecimal;

/**
 * A token price: nano-USD per one million tokens, held exactly. Nova Micro input at $0.035 per 1M
 * tokens is {@code 35_000_000} nano-USD per 1M tokens (35 nano-USD per token).
 *
 * <p>Immutable and thread-safe.
 */
public record Price(long nanosPerMillionTokens) {

  public static final long TOKENS_PER_UNIT = 1_000_000L;

  /** $10,000 per million tokens: far above any real price, low enough that no product overflows. */
  public static final long MAX_NANOS_PER_MILLION = 10_000L * Money.NANOS_PER_USD;

  public Price {
    if (nanosPerMillionTokens < 0 || nanosPerMillionTokens > MAX_NANOS_PER_MILLION) {
      throw new IllegalArgumentException(
          "price out of range: " + nanosPerMillionTokens + " nano-USD per 1M tokens");
    }
  }

  /** Parses USD per 1M tokens, e.g. {@code "0.035"}. */
  public static Price perMillionUsd(String usd) {
    return new Price(Money.ofUsd(usd).nanos());
  }

  public static Price perMillionUsd(BigDecimal usd) {
    return new Price(Money.ofUsd(usd).nanos());
  }

  public boolean isFree() {
    return nanosPerMillionTokens == 0;
  }

  public BigDecimal perMillionUsd() {
    return Money.ofNanos(nanosPerMillionTokens).toUsd();
  }
}

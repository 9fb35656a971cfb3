package io.llmgateway.core.money;

import java.math.BigInteger;

/**
 * The one place where token counts become money. A cost is the exact rational sum of every line
 * (tokens x nano-USD per 1M tokens / 1M), rounded up once to whole nano-USD: never under-charged,
 * over-charged by less than one nano-dollar.
 *
 * <p>Token counts are bounded by {@link #MAX_TOKENS} and prices by {@link
 * Price#MAX_NANOS_PER_MILLION}, so every intermediate fits in a {@code long}; the arithmetic is
 * checked anyway. Stateless and thread-safe.
 */
public final class CostCalculator {

  /** No single request line may claim more tokens than this (a billion). */
  public static final long MAX_TOKENS = 1_000_000_000L;

  private CostCalculator() {}

  /** Cost of one line, rounded up. */
  public static Money cost(long tokens, Price price) {
    return sum(new long[] {tokens}, new Price[] {price});
  }

  /** Cost of two lines (typically input and output), summed exactly then rounded up once. */
  public static Money cost(long tokensA, Price priceA, long tokensB, Price priceB) {
    return sum(new long[] {tokensA, tokensB}, new Price[] {priceA, priceB});
  }

  /** Cost of several lines, summed exactly then rounded up once. */
  public static Money sum(long[] tokens, Price[] prices) {
    if (tokens.length != prices.length) {
      throw new IllegalArgumentException("tokens and prices differ in length");
    }
    // Split each price into whole nano-USD per token (q) and a remainder in millionths (r):
    // tokens * price / 1e6 = tokens * q + tokens * r / 1e6. Both products stay below 2^63.
    long whole = 0;
    long millionths = 0;
    for (int i = 0; i < tokens.length; i++) {
      long t = tokens[i];
      if (t < 0 || t > MAX_TOKENS) {
        throw new IllegalArgumentException("token count out of range: " + t);
      }
      long p = prices[i].nanosPerMillionTokens();
      whole = Math.addExact(whole, Math.multiplyExact(t, p / Price.TOKENS_PER_UNIT));
      millionths = Math.addExact(millionths, Math.multiplyExact(t, p % Price.TOKENS_PER_UNIT));
    }
    long carried = Math.ceilDiv(millionths, Price.TOKENS_PER_UNIT);
    return Money.ofNanos(Math.addExact(whole, carried));
  }

  /**
   * The largest number of tokens at {@code price} whose cost fits in {@code budget}. A free price
   * affords {@link #MAX_TOKENS}.
   */
  public static long affordableTokens(Money budget, Price price) {
    if (price.isFree()) {
      return MAX_TOKENS;
    }
    // floor(budget * 1e6 / price), computed exactly; then step down while ceiling rounding
    // would push the cost one nano-dollar over (at most a step or two).
    long tokens =
        BigInteger.valueOf(budget.nanos())
            .multiply(BigInteger.valueOf(Price.TOKENS_PER_UNIT))
            .divide(BigInteger.valueOf(price.nanosPerMillionTokens()))
            .min(BigInteger.valueOf(MAX_TOKENS))
            .longValueExact();
    while (tokens > 0 && cost(tokens, price).compareTo(budget) > 0) {
      tokens--;
    }
    return tokens;
  }
}

package io.llmgateway.core.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * An amount of US dollars held as whole nano-dollars (1 USD = 10^9 nano-USD). Never negative.
 *
 * <p>Money never passes through floating point: parsing goes through {@link BigDecimal} and is
 * exact or refused. Immutable and thread-safe.
 */
public record Money(long nanos) implements Comparable<Money> {

  public static final long NANOS_PER_USD = 1_000_000_000L;
  public static final Money ZERO = new Money(0);

  /**
   * The largest amount we accept anywhere: one billion dollars. Keeps every sum far from overflow.
   */
  public static final Money MAX = new Money(1_000_000_000L * NANOS_PER_USD);

  public Money {
    if (nanos < 0) {
      throw new IllegalArgumentException("money cannot be negative: " + nanos + " nano-USD");
    }
  }

  public static Money ofNanos(long nanos) {
    return new Money(nanos);
  }

  /**
   * Most digits a decimal may carry into {@link #ofUsd(BigDecimal)}: a billion dollars to the
   * nano-dollar is 19 digits; the rest is room for trailing zeros.
   */
  public static final int MAX_DIGITS = 40;

  /** Largest {@link BigDecimal#scale()} magnitude accepted: 10^-40 and 10^40 are absurd already. */
  public static final int MAX_SCALE = 40;

  /** Longest text {@link #ofUsd(String)} parses. */
  public static final int MAX_TEXT = 64;

  /**
   * Whether a decimal is small enough to do arithmetic or text conversion on. Reads only {@code
   * precision()} and {@code scale()}: a JSON number is bounded in text length, not in magnitude,
   * and the plain form of the 12-byte {@code 1e-999999999} is a billion characters (issue 15,
   * finding 9), so every parse checks this before anything else and no refusal prints the value.
   */
  public static boolean isBounded(BigDecimal d) {
    return d.precision() <= MAX_DIGITS && Math.abs((long) d.scale()) <= MAX_SCALE;
  }

  /**
   * Parses a dollar amount such as {@code "0.017"}. Fractions finer than one nano-dollar are
   * refused rather than rounded, so a configured budget is exactly what the operator wrote.
   */
  public static Money ofUsd(String usd) {
    if (usd.length() > MAX_TEXT) {
      throw new IllegalArgumentException(
          "not a dollar amount: longer than " + MAX_TEXT + " characters");
    }
    BigDecimal parsed;
    try {
      parsed = new BigDecimal(usd.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a dollar amount: '" + usd.trim() + "'");
    }
    return ofUsd(parsed);
  }

  /** An exact dollar amount; messages never contain the value (see {@link #isBounded}). */
  public static Money ofUsd(BigDecimal usd) {
    if (!isBounded(usd)) {
      throw new IllegalArgumentException(
          "dollar amount out of range: at most "
              + MAX_DIGITS
              + " digits, between 10^-"
              + MAX_SCALE
              + " and 10^"
              + MAX_SCALE);
    }
    if (usd.signum() < 0) {
      throw new IllegalArgumentException("money cannot be negative");
    }
    BigDecimal nanos = usd.movePointRight(9);
    if (nanos.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException("dollar amount has more than 9 decimal places");
    }
    if (nanos.compareTo(BigDecimal.valueOf(MAX.nanos)) > 0) {
      throw new IllegalArgumentException(
          "dollar amount too large: at most " + MAX.nanos / NANOS_PER_USD);
    }
    return new Money(nanos.longValueExact());
  }

  public Money plus(Money other) {
    return new Money(Math.addExact(nanos, other.nanos));
  }

  /** Difference, floored at zero (headroom never goes negative). */
  public Money minusOrZero(Money other) {
    return new Money(Math.max(0, nanos - other.nanos));
  }

  public boolean isZero() {
    return nanos == 0;
  }

  public static Money min(Money a, Money b) {
    return a.nanos <= b.nanos ? a : b;
  }

  /** Exact decimal dollars, e.g. {@code 0.017000000} -> {@code 0.017}. */
  public BigDecimal toUsd() {
    return BigDecimal.valueOf(nanos, 9).stripTrailingZeros();
  }

  /** Plain dollar string for humans and JSON, never in scientific notation. */
  public String toUsdString() {
    BigDecimal usd = toUsd();
    return (usd.scale() < 0 ? usd.setScale(0, RoundingMode.UNNECESSARY) : usd).toPlainString();
  }

  @Override
  public int compareTo(Money o) {
    return Long.compare(nanos, o.nanos);
  }

  @Override
  public String toString() {
    return "$" + toUsdString();
  }
}

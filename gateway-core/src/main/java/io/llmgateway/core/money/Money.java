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
   * Parses a dollar amount such as {@code "0.017"}. Fractions finer than one nano-dollar are
   * refused rather than rounded, so a configured budget is exactly what the operator wrote.
   */
  public static Money ofUsd(String usd) {
    try {
      return ofUsd(new BigDecimal(usd.trim()));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a dollar amount: '" + usd + "'");
    }
  }

  public static Money ofUsd(BigDecimal usd) {
    if (usd.signum() < 0) {
      throw new IllegalArgumentException("money cannot be negative: " + usd.toPlainString());
    }
    BigDecimal nanos = usd.movePointRight(9);
    if (nanos.stripTrailingZeros().scale() > 0) {
      throw new IllegalArgumentException(
          "dollar amount has more than 9 decimal places: " + usd.toPlainString());
    }
    if (nanos.compareTo(BigDecimal.valueOf(MAX.nanos)) > 0) {
      throw new IllegalArgumentException("dollar amount too large: " + usd.toPlainString());
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

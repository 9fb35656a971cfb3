package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;

/**
 * What a counter holds: money already spent (committed) and money held for requests in flight
 * (reserved). Immutable and thread-safe.
 */
public record CounterBalance(Money committed, Money reserved) {
  public static final CounterBalance EMPTY = new CounterBalance(Money.ZERO, Money.ZERO);

  public Money used() {
    return committed.plus(reserved);
  }
}

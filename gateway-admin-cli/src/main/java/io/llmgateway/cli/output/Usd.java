package io.llmgateway.cli.output;

import io.llmgateway.core.money.Money;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * An amount of money in a table cell: {@code $0.017} for people, the exact decimal {@code 0.017}
 * (from nano-USD, never a double) in CSV and JSON. Immutable and thread-safe.
 */
public record Usd(Money money) {
  public Usd {
    Objects.requireNonNull(money, "money");
  }

  /** The cell for an optional amount: null (shown as '-', JSON null) when absent. */
  public static Usd of(Optional<Money> money) {
    return money.map(Usd::new).orElse(null);
  }

  /** Exact USD with a scale of at least 0, so it prints as 2, never 2E+0. */
  public BigDecimal decimal() {
    BigDecimal usd = money.toUsd();
    return usd.scale() < 0 ? usd.setScale(0) : usd;
  }

  @Override
  public String toString() {
    return "$" + decimal().toPlainString();
  }
}

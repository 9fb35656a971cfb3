package io.llmgateway.core.budget;

import io.llmgateway.core.spend.SpendRecord;
import java.util.Objects;

/**
 * One reservation to settle with its finished spend record (see {@link BudgetLedger#settle}).
 * Immutable.
 */
public record Settlement(String reservationId, SpendRecord record) {
  public Settlement {
    Objects.requireNonNull(reservationId, "reservationId");
    Objects.requireNonNull(record, "record");
  }
}

package io.llmgateway.core.budget;

import io.llmgateway.core.spend.SpendRecord;
import java.util.Objects;

/**
 * One write to the ledger that ends (or draws on) a reservation, with the spend record it carries.
 * Immutable.
 *
 * @param reservationId the reservation settled, drawn on or released
 * @param record the finished spend record ({@link Kind#SETTLE}, {@link Kind#DRAW}); for {@link
 *     Kind#RELEASE} it only names the reservation's holder in logs and is not written
 * @param kind what to do with the reservation
 */
public record Settlement(String reservationId, SpendRecord record, Kind kind) {

  /** What a settlement does to its reservation (see {@link BudgetLedger}). */
  public enum Kind {
    /** {@link BudgetLedger#settle}: charge the record's cost, release the rest, end it. */
    SETTLE,
    /** {@link BudgetLedger#draw}: charge the record's cost from it; it stays held with less. */
    DRAW,
    /** {@link BudgetLedger#release}: end it, releasing what is left; nothing is charged. */
    RELEASE
  }

  public Settlement {
    Objects.requireNonNull(reservationId, "reservationId");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(kind, "kind");
  }

  /** A plain settle of a request's own reservation. */
  public Settlement(String reservationId, SpendRecord record) {
    this(reservationId, record, Kind.SETTLE);
  }
}

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
 * @param chargeId what makes this charge unique: for {@link Kind#DRAW} the request's own charge id
 *     (generated at admission, never the caller's request id, which may repeat), the spend row's
 *     key that makes a retried draw a no-op; otherwise the reservation id
 */
public record Settlement(String reservationId, SpendRecord record, Kind kind, String chargeId) {

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
    Objects.requireNonNull(chargeId, "chargeId");
  }

  /** A plain settle of a request's own reservation. */
  public Settlement(String reservationId, SpendRecord record) {
    this(reservationId, record, Kind.SETTLE, reservationId);
  }

  /**
   * A settle, or a release, of {@code reservationId}; a draw keyed by the record's request id
   * (tests; the gateway draws with {@link #draw}).
   */
  public Settlement(String reservationId, SpendRecord record, Kind kind) {
    this(reservationId, record, kind, kind == Kind.DRAW ? record.requestId() : reservationId);
  }

  /** A request's draw on the lease {@code leaseId}, unique by {@code chargeId}. */
  public static Settlement draw(String leaseId, String chargeId, SpendRecord record) {
    return new Settlement(leaseId, record, Kind.DRAW, chargeId);
  }
}

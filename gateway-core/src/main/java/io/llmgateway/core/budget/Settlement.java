package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.util.Objects;

/**
 * One write to the ledger that ends (or draws on) a reservation, with the spend record it carries.
 * Immutable. Make one with {@link #Settlement(String, SpendRecord)} (a settle), {@link #draw} or
 * {@link #release}.
 *
 * @param reservationId the reservation settled, drawn on or released
 * @param record the finished spend record ({@link Kind#SETTLE}, {@link Kind#DRAW}); for {@link
 *     Kind#RELEASE} it names the lease's holder (written only for draws the ledger never saw)
 * @param kind what to do with the reservation
 * @param chargeId what makes this charge unique: for {@link Kind#DRAW} the request's own charge id
 *     (generated at admission, never the caller's request id, which may repeat), the spend row's
 *     key that makes a retried draw a no-op; otherwise the reservation id
 * @param drawn for {@link Kind#RELEASE}: the total of every draw the releasing instance handed to
 *     the ledger on this reservation, written or not (see {@link BudgetLedger#release}); zero for
 *     the other kinds
 */
public record Settlement(
    String reservationId, SpendRecord record, Kind kind, String chargeId, Money drawn) {

  /** What a settlement does to its reservation (see {@link BudgetLedger}). */
  public enum Kind {
    /** {@link BudgetLedger#settle}: charge the record's cost, release the rest, end it. */
    SETTLE,
    /** {@link BudgetLedger#draw}: charge the record's cost from it; it stays held with less. */
    DRAW,
    /** {@link BudgetLedger#release}: end it, charging draws never seen, releasing the rest. */
    RELEASE
  }

  public Settlement {
    Objects.requireNonNull(reservationId, "reservationId");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(chargeId, "chargeId");
    Objects.requireNonNull(drawn, "drawn");
    if (kind != Kind.RELEASE && !drawn.isZero()) {
      throw new IllegalArgumentException("only a release carries a drawn total");
    }
  }

  /** A plain settle of a request's own reservation. */
  public Settlement(String reservationId, SpendRecord record) {
    this(reservationId, record, Kind.SETTLE, reservationId, Money.ZERO);
  }

  /**
   * A settle, or a draw keyed by the record's request id (tests; the gateway draws with {@link
   * #draw}). A release must say what was drawn: use {@link #release}.
   */
  public Settlement(String reservationId, SpendRecord record, Kind kind) {
    this(
        reservationId,
        record,
        requireNotRelease(kind),
        kind == Kind.DRAW ? record.requestId() : reservationId,
        Money.ZERO);
  }

  /** A request's draw on the lease {@code leaseId}, unique by {@code chargeId}. */
  public static Settlement draw(String leaseId, String chargeId, SpendRecord record) {
    return new Settlement(leaseId, record, Kind.DRAW, chargeId, Money.ZERO);
  }

  /** The release of a budget lease on which {@code drawn} was drawn in total. */
  public static Settlement release(String leaseId, SpendRecord holder, Money drawn) {
    return new Settlement(leaseId, holder, Kind.RELEASE, leaseId, drawn);
  }

  private static Kind requireNotRelease(Kind kind) {
    if (kind == Kind.RELEASE) {
      throw new IllegalArgumentException("a release carries what was drawn: use release()");
    }
    return kind;
  }
}

package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The port that holds budget counters. Implementations must keep, for every counter at every
 * moment, {@code committed + reserved <= limit} (the limit given with each reservation), with any
 * number of callers and processes.
 *
 * <p>Implementations are thread-safe.
 */
public interface BudgetLedger {

  /**
   * The model name on a budget lease's pending spend row: how a ledger tells a lease (a held
   * reservation many requests draw on) from a request's own reservation.
   */
  String LEASE_MODEL = "budget-lease";

  /** Current balances of the given counters; a counter never used reads as empty. */
  Map<CounterKey, CounterBalance> balances(Collection<CounterKey> counters);

  /**
   * What held budget leases (reservations whose pending row's model is {@link #LEASE_MODEL}) hold
   * on any of {@code counters}, summed over the leases: zero when no lease holds headroom there.
   */
  Money leasedOn(Collection<CounterKey> counters);

  /**
   * Atomically adds {@code amount} to the reserved part of every line's counter if, for every line,
   * {@code committed + reserved + amount <= limit}; otherwise changes nothing.
   */
  ReserveOutcome reserve(ReservationRequest request);

  /**
   * Settles a reservation: moves {@code record.cost()} into committed, releases the rest of the
   * reservation, and appends {@code record} to the spend log, all at once. Idempotent: settling a
   * reservation that is already settled or expired changes nothing and returns false.
   */
  boolean settle(String reservationId, SpendRecord record);

  /**
   * Draws on a held reservation (a budget lease serving many requests): moves {@code record.cost()}
   * from reserved into committed on the reservation's counters, lowers the reservation's amount by
   * as much (never below zero), and appends {@code record} to the spend log, all at once. The
   * reservation stays held; if it expires, only what is left of it is charged.
   *
   * <p>Idempotent per charge: a {@code chargeId} drawn before changes nothing (the spend row's
   * reservation id is the charge id, so it is unique however often a caller repeats a request id).
   * Drawing on a reservation that is no longer held (released, settled, expired, unknown) changes
   * nothing either: an expired one was charged in full, which covered this request.
   *
   * @return true if the draw was made
   */
  boolean draw(String reservationId, String chargeId, SpendRecord record);

  /** {@link #draw(String, String, SpendRecord)} keyed by the record's request id. */
  default boolean draw(String reservationId, SpendRecord record) {
    return draw(reservationId, record.requestId(), record);
  }

  /**
   * Ends a held budget lease: charges what was drawn on it but never reached the ledger, and
   * releases what is left of its amount from every counter. A lease is released this way once every
   * request drawn on it has been handed to the ledger.
   *
   * <p>Nothing is released on faith: draws are written without waiting for durability ({@link
   * #settleAll}), so a database crash can lose draws the caller saw acknowledged. {@code drawn} is
   * the total the caller drew on the reservation (every draw it handed over, written or not); if it
   * exceeds what the ledger has recorded of the reservation's draws, the difference is charged
   * (moved into committed, taken from what is left of the reservation) with one spend row ({@code
   * EXPIRED}, error type {@value #DRAWS_LOST}, the reservation's pending record, its id as request
   * id), so counters still add up to the spend log. With {@code drawn} at most what was recorded,
   * nothing is charged and no spend row is written. Idempotent.
   *
   * @return true if the reservation was held and is now released
   */
  boolean release(String reservationId, Money drawn);

  /** The error type of the spend row that charges draws a release found missing. */
  String DRAWS_LOST = "draws_lost";

  /** Does what {@code s.kind()} says: {@link #settle}, {@link #draw} or {@link #release}. */
  default boolean apply(Settlement s) {
    return switch (s.kind()) {
      case SETTLE -> settle(s.reservationId(), s.record());
      case DRAW -> draw(s.reservationId(), s.chargeId(), s.record());
      case RELEASE -> release(s.reservationId(), s.drawn());
    };
  }

  /**
   * Applies several settlements (settles, draws and releases), each exactly as {@link #apply}
   * would, in list order. An implementation may do it in one transaction (one commit for the lot);
   * then a failure settles none of them, and the caller can settle them one by one to find the
   * culprit. The default settles them one by one.
   *
   * <p>Unlike {@link #settle}, an implementation may return before the settlements are durable (on
   * PostgreSQL: without waiting for the WAL flush). That is safe only because a settle lost to a
   * crash leaves its reservation held, to be charged in full when it expires, and a lost draw is
   * charged by its lease's release (which carries the drawn total) or its expiry: over-counted,
   * never lost. Callers that promise durability at return (inline settlement) use {@link #settle}.
   *
   * @return how many took effect (the others found their reservation already ended or unknown, or
   *     their draw already made)
   */
  default int settleAll(List<Settlement> settlements) {
    int settled = 0;
    for (Settlement s : settlements) {
      if (apply(s)) {
        settled++;
      }
    }
    return settled;
  }

  /**
   * Deletes up to {@code max} reservations that ended (settled, released or expired) before {@code
   * endedBefore}. An ended reservation holds nothing: counters and spend rows are untouched, and a
   * late settle, draw or release of a deleted reservation changes nothing, as for an ended one.
   * This keeps the reservation records to the recent past. Safe to run from many instances at once.
   *
   * @return how many were deleted (fewer than {@code max}: nothing older is left)
   */
  int purgeEnded(Instant endedBefore, int max);

  /**
   * Settles every reservation whose deadline is before {@code now} at its full reserved amount (the
   * instance that held it is presumed dead). Safe to run from many instances at once.
   *
   * @return how many reservations were settled
   */
  int expire(Instant now);
}

package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.util.Collection;

/**
 * The part of the {@link BudgetLedger} budget leases need besides reserving: how much leases hold
 * on some counters, a request's draw on a lease, and a lease's release. A lease is an ordinary held
 * reservation whose pending row's model is {@link #LEASE_MODEL}. Implementations are thread-safe.
 */
public interface LeaseLedger {

  /**
   * The model name on a budget lease's pending spend row: how a ledger tells a lease (a held
   * reservation many requests draw on) from a request's own reservation.
   */
  String LEASE_MODEL = "budget-lease";

  /** The error type of the spend row that charges draws a release found missing. */
  String DRAWS_LOST = "draws_lost";

  /**
   * What held budget leases (reservations whose pending row's model is {@link #LEASE_MODEL}) hold
   * on any of {@code counters}, summed over the leases: zero when no lease holds headroom there.
   */
  Money leasedOn(Collection<CounterKey> counters);

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
   * BudgetLedger#settleAll}), so a database crash can lose draws the caller saw acknowledged.
   * {@code drawn} is the total the caller drew on the reservation (every draw it handed over,
   * written or not); if it exceeds what the ledger has recorded of the reservation's draws, the
   * difference is charged (moved into committed, taken from what is left of the reservation) with
   * one spend row ({@code EXPIRED}, error type {@value #DRAWS_LOST}, the reservation's pending
   * record, its id as request id), so counters still add up to the spend log. With {@code drawn} at
   * most what was recorded, nothing is charged and no spend row is written. Idempotent.
   *
   * @return true if the reservation was held and is now released
   */
  boolean release(String reservationId, Money drawn);
}

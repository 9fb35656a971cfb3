package io.llmgateway.core.budget;

import io.llmgateway.core.spend.SpendRecord;
import java.util.Collection;
import java.util.Map;

/**
 * The part of the {@link BudgetLedger} admission needs: read counters, reserve a request's worst
 * case on all of its counters at once, settle it. Implementations keep, for every counter at every
 * moment, {@code committed + reserved <= limit}, with any number of callers and processes, and are
 * thread-safe.
 */
public interface ReservationLedger {

  /** Current balances of the given counters; a counter never used reads as empty. */
  Map<CounterKey, CounterBalance> balances(Collection<CounterKey> counters);

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
}

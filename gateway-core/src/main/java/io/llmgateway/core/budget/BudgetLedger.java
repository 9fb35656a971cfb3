package io.llmgateway.core.budget;

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

  /**
   * Settles several reservations, each exactly as {@link #settle} would. An implementation may do
   * it in one transaction (one commit for the lot); then a failure settles none of them, and the
   * caller can settle them one by one to find the culprit. The default settles them one by one.
   *
   * <p>Unlike {@link #settle}, an implementation may return before the settlements are durable (on
   * PostgreSQL: without waiting for the WAL flush). That is safe only because a settlement lost to
   * a crash leaves its reservation held, to be charged in full when it expires: over-counted, never
   * lost. Callers that promise durability at return (inline settlement) use {@link #settle}.
   *
   * @return how many were settled (the others were already settled, expired or unknown)
   */
  default int settleAll(List<Settlement> settlements) {
    int settled = 0;
    for (Settlement s : settlements) {
      if (settle(s.reservationId(), s.record())) {
        settled++;
      }
    }
    return settled;
  }

  /**
   * Settles every reservation whose deadline is before {@code now} at its full reserved amount (the
   * instance that held it is presumed dead). Safe to run from many instances at once.
   *
   * @return how many reservations were settled
   */
  int expire(Instant now);
}

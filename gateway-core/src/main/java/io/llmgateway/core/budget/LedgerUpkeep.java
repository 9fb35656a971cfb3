package io.llmgateway.core.budget;

import java.time.Instant;

/**
 * The part of the {@link BudgetLedger} its sweeper needs: charge reservations whose instance died,
 * and delete the records of ended ones. Safe to run from many instances at once; thread-safe.
 */
public interface LedgerUpkeep {

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

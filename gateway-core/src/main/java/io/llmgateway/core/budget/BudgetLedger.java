package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.List;

/**
 * The port that holds budget counters, made of the narrow parts each collaborator needs: {@link
 * ReservationLedger} (admission), {@link LeaseLedger} (budget leases) and {@link LedgerUpkeep} (the
 * sweeper), plus the batched write the settlement writer uses. Implementations must keep, for every
 * counter at every moment, {@code committed + reserved <= limit} (the limit given with each
 * reservation), with any number of callers and processes.
 *
 * <p>Implementations are thread-safe.
 */
public interface BudgetLedger extends ReservationLedger, LeaseLedger, LedgerUpkeep {

  /**
   * Starts {@code line}'s counter from what its scope has already spent in the period, for a budget
   * just added to a scope that had none for this window (issue 16): otherwise the new window would
   * start at zero although the period is half spent. The counter's committed amount becomes at
   * least the spend log's total for the scope (a TEAM counter: records of that team, USER: of that
   * user, KEY: of that key) over requests started in {@code [periodStart, line.resetsAt())}; a
   * counter that does not exist is created. The result may exceed the limit: the window is then
   * already spent and refuses until it resets.
   *
   * <p>Settles into the same counter may run meanwhile: an implementation takes the counter's lock
   * before it sums the spend log, so a settle that charged the counter before is in both the
   * counter and the sum (taking the larger of the two counts it once), and one after it adds to the
   * seeded amount. Seeding again is harmless: the counter keeps the larger amount.
   *
   * @return the counter's committed amount afterwards
   */
  Money seedFromSpend(BudgetLine line, Instant periodStart);

  /** Does what {@code s} is: {@link #settle}, {@link #draw} or {@link #release}. */
  default boolean apply(Settlement s) {
    return switch (s) {
      case Settlement.Settle x -> settle(x.reservationId(), x.record());
      case Settlement.Draw x -> draw(x.reservationId(), x.chargeId(), x.record());
      case Settlement.Release x -> release(x.reservationId(), x.drawn());
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
}

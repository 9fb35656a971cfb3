package io.llmgateway.core.internal;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.money.Money;
import java.util.List;
import java.util.Map;

/**
 * How large a budget lease may be: only where it cannot change a decision (docs/CORE.md "Budget
 * leases", "Small budgets"). Stateless.
 *
 * <p>On each of its counters a lease takes at most a tenth of the headroom, or, where a tenth would
 * not cover {@value #SMALL_BUDGET_WORST_CASES} worst cases (the seed's tiers: a few dozen worst
 * cases a day), up to {@value #SMALL_BUDGET_WORST_CASES} worst cases but never more than half the
 * headroom; and at most {@value #MAX_WORST_CASES} worst cases in all. With room for less than one
 * worst case, none is taken: the request reserves on its own, its output cap clamped to the exact
 * headroom. Why a larger share cannot change a decision: a request admitted against a lease gets
 * its full cap only if the lease still holds that worst case, which it could also have reserved
 * alone; a request the lease cannot admit reserves on its own and, before it is clamped or refused,
 * recalls every lease on its counters ({@link BudgetLeases#recall}). Half, not all, so that one
 * lease leaves room for a second instance's lease and for a request that overflows it.
 */
final class LeaseSizing {
  /** A lease holds at most this many worst cases of the request that takes it. */
  static final int MAX_WORST_CASES = 64;

  /** A lease holds at least one worst case: the request that takes it. */
  static final int MIN_WORST_CASES = 1;

  /** A lease takes at most 1/this of any of its counters' headroom, */
  static final long HEADROOM_SHARE = 10;

  /** ... or up to this many worst cases where a tenth would be fewer, ... */
  static final int SMALL_BUDGET_WORST_CASES = 4;

  /** ... but then at most 1/this of the headroom. */
  static final long SMALL_BUDGET_SHARE = 2;

  private LeaseSizing() {}

  /**
   * The lease to take for a request of {@code worstCase} on {@code lines}, given the counters'
   * balances; zero when no lease should be taken.
   */
  static Money size(List<BudgetLine> lines, Money worstCase, Map<CounterKey, CounterBalance> b) {
    long wc = worstCase.nanos();
    if (wc <= 0) {
      return Money.ZERO;
    }
    long size = wc > Money.MAX.nanos() / MAX_WORST_CASES ? Money.MAX.nanos() : wc * MAX_WORST_CASES;
    long small =
        wc > Money.MAX.nanos() / SMALL_BUDGET_WORST_CASES
            ? Money.MAX.nanos()
            : wc * SMALL_BUDGET_WORST_CASES;
    for (BudgetLine line : lines) {
      CounterBalance balance = b.getOrDefault(line.counter(), CounterBalance.EMPTY);
      long headroom = line.limit().minusOrZero(balance.used()).nanos();
      long share =
          Math.max(headroom / HEADROOM_SHARE, Math.min(headroom / SMALL_BUDGET_SHARE, small));
      size = Math.min(size, share);
    }
    return size < MIN_WORST_CASES * wc ? Money.ZERO : Money.ofNanos(size);
  }
}

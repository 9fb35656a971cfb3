package io.llmgateway.core.internal;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.money.Money;
import java.util.List;
import java.util.Map;

/**
 * How large a budget lease may be: only where it cannot change a decision. A lease takes at most a
 * tenth of any of its counters' headroom and at most {@value #MAX_WORST_CASES} worst cases of the
 * request that takes it; with room for fewer than {@value #MIN_WORST_CASES} worst cases, none is
 * taken and requests reserve one by one (their output cap clamped to the exact headroom).
 * Stateless.
 */
final class LeaseSizing {
  /** A lease holds at most this many worst cases of the request that takes it. */
  static final int MAX_WORST_CASES = 64;

  /** With room for fewer worst cases than this, no lease: requests reserve one by one. */
  static final int MIN_WORST_CASES = 4;

  /** A lease takes at most 1/this of any of its counters' headroom. */
  static final long HEADROOM_SHARE = 10;

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
    for (BudgetLine line : lines) {
      CounterBalance balance = b.getOrDefault(line.counter(), CounterBalance.EMPTY);
      size = Math.min(size, line.limit().minusOrZero(balance.used()).nanos() / HEADROOM_SHARE);
    }
    return size < MIN_WORST_CASES * wc ? Money.ZERO : Money.ofNanos(size);
  }
}

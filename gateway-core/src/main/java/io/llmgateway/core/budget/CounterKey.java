package io.llmgateway.core.budget;

import java.util.Comparator;
import java.util.Objects;

/**
 * Identifies one budget counter: a scope in one window period ({@code user u1, daily, 2026-11-27}).
 * Immutable and thread-safe. {@link #LOCK_ORDER} is the total order every ledger takes counters in,
 * so concurrent reservations cannot deadlock.
 */
public record CounterKey(BudgetScope scope, BudgetWindow window, String period) {

  public static final Comparator<CounterKey> LOCK_ORDER =
      Comparator.comparing((CounterKey k) -> k.scope().kind())
          .thenComparing(k -> k.scope().id())
          .thenComparing(CounterKey::window)
          .thenComparing(CounterKey::period);

  public CounterKey {
    Objects.requireNonNull(scope, "scope");
    Objects.requireNonNull(window, "window");
    Objects.requireNonNull(period, "period");
  }
}

package io.llmgateway.postgres;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.money.Money;
import java.time.Instant;

/**
 * {@code BudgetLedger.seedFromSpend} on PostgreSQL: one call of {@code ledger_seed_counter} (V112),
 * which creates the counter if missing, locks it, and only then sums the scope's spend log for the
 * period, so a settle into the same counter is counted once and never lost.
 */
final class CounterSeed {
  private static final String SEED =
      "SELECT ledger_seed_counter(:kind, :id, :window, :period, :limit, :resets, :from, :to)";

  private CounterSeed() {}

  /**
   * @param period the counter's period as stored (with the database's zone)
   */
  static Money seed(Db db, BudgetLine line, String period, Instant periodStart) {
    CounterKey k = line.counter();
    return db.with(
        h ->
            Money.ofNanos(
                h.createQuery(SEED)
                    .bind("kind", k.scope().kind().name())
                    .bind("id", k.scope().id())
                    .bind("window", k.window().name())
                    .bind("period", period)
                    .bind("limit", line.limit().nanos())
                    .bind("resets", line.resetsAt())
                    .bind("from", periodStart)
                    .bind("to", line.resetsAt())
                    .mapTo(Long.class)
                    .one()));
  }
}

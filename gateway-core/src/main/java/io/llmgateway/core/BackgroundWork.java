package io.llmgateway.core;

import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.internal.BudgetLeases;
import io.llmgateway.core.internal.RefusalWriter;
import io.llmgateway.core.internal.SettlementWriter;
import io.llmgateway.core.internal.Sweeper;
import io.llmgateway.core.requestlog.RefusalLog;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The work the guarantee depends on that runs beside the requests: the settlement writer, budget
 * leases and their upkeep, the refusal writer and the sweeper. Only the {@link Gateway} creates one
 * (which starts them) and closes it (STYLE rule 17), so an embedder cannot forget one.
 */
final class BackgroundWork implements AutoCloseable {
  /** The longest a report waits for this instance's queued spend (a slow database). */
  private static final Duration SPEND_READ_FLUSH_TIMEOUT = Duration.ofSeconds(2);

  final SettlementWriter writer;
  final Optional<BudgetLeases> leases;
  final RefusalWriter refusals;
  private final Sweeper sweeper;

  BackgroundWork(
      Stores stores,
      GatewayConfig config,
      RefusalLog refusalLog,
      Duration requestLogRetention,
      Clock clock) {
    this.writer =
        config.settlement() == GatewayConfig.Settlement.DEFERRED
            ? SettlementWriter.deferred(stores.ledger())
            : SettlementWriter.inline(stores.ledger());
    this.leases =
        config.leases()
            ? Optional.of(
                new BudgetLeases(
                    stores.ledger(),
                    stores.invalidations(),
                    writer,
                    config.leaseWindow(),
                    config.reservationTtl(),
                    clock))
            : Optional.empty();
    // Refused requests go to the request log from a thread of their own, never from the request's.
    this.refusals = new RefusalWriter(refusalLog);
    // The guarantee's crash path: reservations no instance settled are charged by any instance.
    this.sweeper =
        new Sweeper(
            stores.ledger(), refusalLog, requestLogRetention, clock, config.sweepInterval());
  }

  /** Before a spend or request-log read: this instance's answered requests are written first. */
  void flushBeforeSpendRead() {
    writer.flush(SPEND_READ_FLUSH_TIMEOUT);
    refusals.flush(SPEND_READ_FLUSH_TIMEOUT);
  }

  /**
   * Before a read of {@code scope}'s budget balances: gives back this instance's idle lease slices
   * on its counters, so the balances show what was spent, not slices held for nobody.
   */
  void releaseBeforeBudgetRead(BudgetScope scope) {
    // Giving leases back flushes the writer itself.
    boolean released = leases.map(l -> l.releaseIdleOn(k -> k.scope().equals(scope))).orElse(false);
    if (!released) {
      writer.flush(SPEND_READ_FLUSH_TIMEOUT);
    }
  }

  /** See {@link Gateway#flushSettlements}. */
  boolean flushSettlements(Duration timeout) {
    // Idle budget leases go back too, so budget reads after this show no slice held for nobody.
    leases.ifPresent(BudgetLeases::retireAll);
    // A retired lease still drawn on is released when its last draw is written; the flush waits
    // for that follow-up write too (SettlementWriter).
    return writer.flush(timeout);
  }

  int sweep() {
    return sweeper.sweep();
  }

  /**
   * Stops the sweeper, retires every lease (before the writer closes), then writes what is queued.
   */
  @Override
  public void close() {
    sweeper.close();
    leases.ifPresent(BudgetLeases::close);
    writer.close();
    refusals.close();
  }
}

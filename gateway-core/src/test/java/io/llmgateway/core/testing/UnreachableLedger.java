package io.llmgateway.core.testing;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A ledger that fails every call like an unreachable database while {@code down} is set, and
 * otherwise forwards. Batches go through {@link #apply}, so they fail too. Thread-safe.
 */
public final class UnreachableLedger extends ForwardingLedger {
  private final AtomicBoolean down;

  public UnreachableLedger(BudgetLedger delegate, AtomicBoolean down) {
    super(delegate);
    this.down = down;
  }

  private void check() {
    if (down.get()) {
      throw new StorageUnavailableException("connection refused (test)", null);
    }
  }

  @Override
  public Map<CounterKey, CounterBalance> balances(Collection<CounterKey> counters) {
    check();
    return delegate.balances(counters);
  }

  @Override
  public io.llmgateway.core.money.Money leasedOn(Collection<CounterKey> counters) {
    check();
    return delegate.leasedOn(counters);
  }

  @Override
  public io.llmgateway.core.money.Money seedFromSpend(
      io.llmgateway.core.budget.BudgetLine line, java.time.Instant periodStart) {
    check();
    return delegate.seedFromSpend(line, periodStart);
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request) {
    check();
    return delegate.reserve(request);
  }

  @Override
  public boolean settle(String reservationId, SpendRecord record) {
    check();
    return delegate.settle(reservationId, record);
  }

  @Override
  public boolean draw(String reservationId, String chargeId, SpendRecord record) {
    check();
    return delegate.draw(reservationId, chargeId, record);
  }

  @Override
  public boolean release(String reservationId, Money drawn) {
    check();
    return delegate.release(reservationId, drawn);
  }

  @Override
  public int purgeEnded(Instant endedBefore, int max) {
    check();
    return delegate.purgeEnded(endedBefore, max);
  }

  @Override
  public int expire(Instant now) {
    check();
    return delegate.expire(now);
  }
}

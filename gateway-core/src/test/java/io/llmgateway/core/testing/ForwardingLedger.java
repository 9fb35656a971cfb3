package io.llmgateway.core.testing;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/**
 * A {@link BudgetLedger} that forwards every call to another; tests override the calls they want to
 * slow down, block or fail. {@code settleAll} keeps the port's default (one settle at a time)
 * unless overridden.
 */
public abstract class ForwardingLedger implements BudgetLedger {
  protected final BudgetLedger delegate;

  protected ForwardingLedger(BudgetLedger delegate) {
    this.delegate = delegate;
  }

  @Override
  public Map<CounterKey, CounterBalance> balances(Collection<CounterKey> counters) {
    return delegate.balances(counters);
  }

  @Override
  public io.llmgateway.core.money.Money leasedOn(Collection<CounterKey> counters) {
    return delegate.leasedOn(counters);
  }

  @Override
  public ReserveOutcome reserve(ReservationRequest request) {
    return delegate.reserve(request);
  }

  @Override
  public io.llmgateway.core.money.Money seedFromSpend(
      io.llmgateway.core.budget.BudgetLine line, java.time.Instant periodStart) {
    return delegate.seedFromSpend(line, periodStart);
  }

  @Override
  public boolean settle(String reservationId, SpendRecord record) {
    return delegate.settle(reservationId, record);
  }

  @Override
  public boolean draw(String reservationId, String chargeId, SpendRecord record) {
    return delegate.draw(reservationId, chargeId, record);
  }

  @Override
  public boolean release(String reservationId, Money drawn) {
    return delegate.release(reservationId, drawn);
  }

  @Override
  public int purgeEnded(Instant endedBefore, int max) {
    return delegate.purgeEnded(endedBefore, max);
  }

  @Override
  public int expire(Instant now) {
    return delegate.expire(now);
  }
}

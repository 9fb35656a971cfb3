package io.llmgateway.core.internal;

import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.util.function.Consumer;

/**
 * A request's part of a budget lease: its worst case, taken from the lease's in-memory balance and
 * held until the request settles. Settling draws the cost from the lease in the ledger (through the
 * settlement writer) and gives the rest back to the balance. The lease is not released before that
 * draw is written; if it never is, the lease expires and is charged in full, which covers it.
 */
final class LeaseHold implements Claim {
  private final Lease lease;
  private final Money amount;
  private final String chargeId;

  LeaseHold(Lease lease, Money amount, String chargeId) {
    this.lease = lease;
    this.amount = amount;
    this.chargeId = chargeId;
  }

  @Override
  public String chargeId() {
    return chargeId;
  }

  @Override
  public Money amount() {
    return amount;
  }

  /** The lease's reservation id: what the draw is written against. */
  String leaseId() {
    return lease.id();
  }

  @Override
  public void settle(SpendRecord record, Money cost, Consumer<Settlement> onWritten) {
    lease.drawHandedOver(cost);
    lease
        .writer()
        .write(
            new Settlement.Draw(lease.id(), chargeId, record),
            s -> {
              lease.drawWritten();
              onWritten.accept(s);
            });
    lease.holdEnded(amount, cost);
  }
}

package io.llmgateway.core.internal;

import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.util.function.Consumer;

/**
 * What an admitted request holds until it settles: either its own reservation in the ledger or a
 * hold on one of this instance's budget leases. Each kind knows how to settle itself, so no caller
 * branches on which it is. Implementations are thread-safe; each claim is settled once.
 */
public sealed interface Claim permits OwnReservation, LeaseHold {

  /**
   * What makes this charge unique in the ledger (the spend row's reservation id): generated at
   * admission, never the caller's request id, so a repeated request id is charged each time.
   */
  String chargeId();

  /** The worst case held for the request: what it may cost at most. */
  Money amount();

  /**
   * Charges {@code record} (costing {@code cost}) against what is held and gives back the rest.
   *
   * @param onWritten runs once the charge is in the ledger (not if it could not be written)
   */
  void settle(SpendRecord record, Money cost, Consumer<Settlement> onWritten);
}

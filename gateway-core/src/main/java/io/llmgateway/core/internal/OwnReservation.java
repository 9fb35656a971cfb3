package io.llmgateway.core.internal;

import io.llmgateway.core.budget.Reservation;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A request's own reservation in the ledger: settling it charges the cost, releases the rest and
 * ends it, in one ledger write (through the {@link SettlementWriter}, at once or deferred). A write
 * that never happens leaves the reservation held, to be charged in full when it expires.
 */
record OwnReservation(Reservation reservation, SettlementWriter writer) implements Claim {
  OwnReservation {
    Objects.requireNonNull(reservation, "reservation");
    Objects.requireNonNull(writer, "writer");
  }

  @Override
  public String chargeId() {
    return reservation.id();
  }

  @Override
  public Money amount() {
    return reservation.amount();
  }

  @Override
  public void settle(SpendRecord record, Money cost, Consumer<Settlement> onWritten) {
    writer.write(new Settlement.Settle(reservation.id(), record), onWritten);
  }
}

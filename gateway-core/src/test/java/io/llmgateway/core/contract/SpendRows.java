package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.spend;

import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.money.Money;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Writes spend-log rows the way the gateway does: a reservation, then its settlement. */
final class SpendRows {
  private SpendRows() {}

  static void spent(
      Stores stores, String request, String key, String user, long nanos, Instant at) {
    stores
        .ledger()
        .reserve(
            new ReservationRequest(
                request,
                List.of(),
                Money.ofNanos(nanos),
                T0,
                T0.plus(Duration.ofDays(400)),
                spend(request, key).user(user).pending()));
    stores.ledger().settle(request, spend(request, key).user(user).nanos(nanos).ended(at).build());
  }
}

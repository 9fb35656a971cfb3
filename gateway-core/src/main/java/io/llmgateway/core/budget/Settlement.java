package io.llmgateway.core.budget;

import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.util.Objects;

/**
 * One write to the ledger that ends (or draws on) a reservation, with the spend record it carries:
 * a {@link Settle} of a request's own reservation, a {@link Draw} of a request's cost on a budget
 * lease, or the {@link Release} of a lease. Immutable.
 */
public sealed interface Settlement {

  /** The reservation settled, drawn on or released. */
  String reservationId();

  /**
   * The finished spend record (settle, draw); for a release, the lease's own pending record,
   * written only for draws the ledger never saw.
   */
  SpendRecord record();

  /** {@link BudgetLedger#settle}: charge the record's cost, release the rest, end it. */
  record Settle(String reservationId, SpendRecord record) implements Settlement {
    public Settle {
      Objects.requireNonNull(reservationId, "reservationId");
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * {@link BudgetLedger#draw}: charge the record's cost from the lease {@code reservationId}, which
   * stays held with less.
   *
   * @param chargeId the request's own charge id (generated at admission, never the caller's request
   *     id, which may repeat): the spend row's key, which makes a retried draw a no-op
   */
  record Draw(String reservationId, String chargeId, SpendRecord record) implements Settlement {
    public Draw {
      Objects.requireNonNull(reservationId, "reservationId");
      Objects.requireNonNull(chargeId, "chargeId");
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * {@link BudgetLedger#release}: end the lease, charging draws the ledger never saw, releasing the
   * rest.
   *
   * @param drawn the total of every draw the releasing instance handed to the ledger on this lease,
   *     written or not
   */
  record Release(String reservationId, SpendRecord record, Money drawn) implements Settlement {
    public Release {
      Objects.requireNonNull(reservationId, "reservationId");
      Objects.requireNonNull(record, "record");
      Objects.requireNonNull(drawn, "drawn");
    }
  }
}

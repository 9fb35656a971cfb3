package io.llmgateway.core.internal;

import io.llmgateway.core.AdmissionGrant;
import io.llmgateway.core.budget.Reservation;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.spend.SpendRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * A request that passed admission: the money held for it, its rate-limit permit, the output cap to
 * send upstream, and the spend record to finish when it settles. Immutable and thread-safe.
 *
 * @param reservation the money held for it: its own reservation, or (with {@code lease}) its worst
 *     case held from a budget lease, under the lease's id
 * @param lease the budget lease it was admitted against, if any: it settles by drawing on it
 * @param inputBound the input-token upper bound the reservation was computed from
 * @param pricing the dearest prices across the model's deployments (what was reserved at)
 */
public record Admitted(
    Reservation reservation,
    Optional<BudgetLeases.Hold> lease,
    Optional<RatePermit> permit,
    int outputCap,
    long inputBound,
    Pricing pricing,
    SpendRecord pending) {
  public Admitted {
    Objects.requireNonNull(reservation, "reservation");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(permit, "permit");
    Objects.requireNonNull(pricing, "pricing");
    Objects.requireNonNull(pending, "pending");
    if (outputCap < 1) {
      throw new IllegalArgumentException("output cap must be positive");
    }
  }

  /** What an {@code AdmissionListener} is told: the output cap and any rate-limit status. */
  public AdmissionGrant grant() {
    return new AdmissionGrant(
        outputCap, permit.map(RatePermit::status).filter(status -> !status.isEmpty()));
  }
}

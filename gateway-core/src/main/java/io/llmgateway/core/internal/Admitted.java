package io.llmgateway.core.internal;

import io.llmgateway.core.AdmissionGrant;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.spend.SpendRecord;
import java.util.Objects;
import java.util.Optional;

/**
 * A request that passed admission: the money held for it, its rate-limit permit, the output cap to
 * send upstream, and the spend record to finish when it settles. Immutable and thread-safe.
 *
 * @param claim the money held for it (its own reservation, or a hold on a budget lease), which
 *     settles itself
 * @param inputBound the input-token upper bound the worst case was computed from
 * @param pricing the dearest prices across the model's deployments (what was held at)
 */
public record Admitted(
    Claim claim,
    Optional<RatePermit> permit,
    int outputCap,
    long inputBound,
    Pricing pricing,
    SpendRecord pending) {
  public Admitted {
    Objects.requireNonNull(claim, "claim");
    Objects.requireNonNull(permit, "permit");
    Objects.requireNonNull(pricing, "pricing");
    Objects.requireNonNull(pending, "pending");
    // 0 for an input-only request (an embedding), which produces no output tokens.
    if (outputCap < 0) {
      throw new IllegalArgumentException("output cap must not be negative");
    }
  }

  /** What an {@code AdmissionListener} is told: the output cap and any rate-limit status. */
  public AdmissionGrant grant() {
    return new AdmissionGrant(
        outputCap, permit.map(RatePermit::status).filter(status -> !status.isEmpty()));
  }
}

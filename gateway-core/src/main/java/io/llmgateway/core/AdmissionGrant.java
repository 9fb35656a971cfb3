package io.llmgateway.core;

import io.llmgateway.core.ratelimit.RateStatus;
import java.util.Objects;
import java.util.Optional;

/**
 * What admission granted a request, reported to an {@link AdmissionListener} before the upstream
 * call: the output cap sent upstream and, when the caller is under a rate limit, what the limits
 * have left. Immutable and thread-safe.
 *
 * @param outputCap the maximum output tokens sent upstream (after budget clamping); 0 for an
 *     embedding
 * @param rate what the RPM and TPM limits had left right after counting this request; empty when no
 *     RPM or TPM limit applies to the caller
 */
public record AdmissionGrant(int outputCap, Optional<RateStatus> rate) {
  public AdmissionGrant {
    // 0 for an input-only request (an embedding).
    if (outputCap < 0) {
      throw new IllegalArgumentException("output cap must not be negative");
    }
    Objects.requireNonNull(rate, "rate");
    if (rate.isPresent() && rate.get().isEmpty()) {
      throw new IllegalArgumentException("a rate status without RPM or TPM limits is empty");
    }
  }
}

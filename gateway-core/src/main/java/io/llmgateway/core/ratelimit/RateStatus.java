package io.llmgateway.core.ratelimit;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The rate-limit picture of one admitted request, as the limiter saw it when it counted the
 * request: for requests per minute and tokens per minute, the tightest of the scopes that carry
 * that limit (absent when none does), and the end of the UTC minute they are counted in. This is
 * what {@code x-ratelimit-remaining-*} headers report. Immutable and thread-safe.
 *
 * @param requests the smallest remaining request count over the scopes with an RPM limit, this
 *     request counted
 * @param tokens the smallest remaining token count over the scopes with a TPM limit, this request's
 *     token estimate counted
 * @param windowEnd when the minute these counts belong to ends (they reset then)
 */
public record RateStatus(
    Optional<RateRemaining> requests, Optional<RateRemaining> tokens, Instant windowEnd) {
  public RateStatus {
    Objects.requireNonNull(requests, "requests");
    Objects.requireNonNull(tokens, "tokens");
    Objects.requireNonNull(windowEnd, "windowEnd");
  }

  /** A status with no RPM or TPM limit to report, for the minute ending at {@code windowEnd}. */
  public static RateStatus unlimited(Instant windowEnd) {
    return new RateStatus(Optional.empty(), Optional.empty(), windowEnd);
  }

  /** Whether any per-minute limit applied to the request. */
  public boolean isEmpty() {
    return requests.isEmpty() && tokens.isEmpty();
  }
}

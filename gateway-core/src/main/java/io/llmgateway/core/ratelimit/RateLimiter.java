package io.llmgateway.core.ratelimit;

import java.time.Instant;
import java.util.List;

/**
 * The port that enforces requests-per-minute, tokens-per-minute and parallel-request limits across
 * every gateway instance.
 *
 * <p>Semantics: minutes are fixed windows aligned to the UTC minute. A request counts one request
 * in the minute it is admitted. Tokens: at admission the request's upper-bound estimate (input
 * bound + output cap) is counted in that minute and must fit under the TPM limit together with what
 * is already counted; at release the estimate is replaced by the actual tokens. A parallel slot is
 * held from admission to release, and lapses at {@code expiresAt} if the holder died.
 *
 * <p>The permit reports, in {@link RatePermit#status()}, what the RPM and TPM limits have left
 * right after this request was counted: per limit, the smallest remaining count over the scopes
 * that carry it (this request's token estimate counted), read in the same atomic step that counted
 * the request, so it costs nothing extra.
 *
 * <p>Implementations are thread-safe.
 */
public interface RateLimiter {

  /**
   * Admits a request under every scope's limits, all or nothing, and reports what those limits have
   * left.
   *
   * @throws io.llmgateway.core.error.RateLimitedException naming the first limit reached
   */
  RatePermit acquire(
      String permitId,
      List<RateScope> scopes,
      long estimatedTokens,
      Instant now,
      Instant expiresAt);

  /** Frees the parallel slot and records the actual tokens. Idempotent. */
  void release(RatePermit permit, long actualTokens);
}

package io.llmgateway.core.ratelimit;

/**
 * What one per-minute limit leaves after counting an admitted request: the limit and how much of it
 * is still free in the current minute (requests or tokens). Immutable and thread-safe.
 *
 * @param limit the per-minute limit of the scope this was read from
 * @param remaining what that scope can still admit this minute, between 0 and {@code limit}
 */
public record RateRemaining(long limit, long remaining) {
  public RateRemaining {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive");
    }
    if (remaining < 0 || remaining > limit) {
      throw new IllegalArgumentException("remaining must be between 0 and the limit");
    }
  }

  /**
   * The tighter of two: the smaller remaining count; on a tie the smaller limit, so that a client
   * deriving "used = limit - remaining" sees the scope closest to refusing it.
   */
  public RateRemaining tighter(RateRemaining other) {
    if (other.remaining != remaining) {
      return other.remaining < remaining ? other : this;
    }
    return other.limit < limit ? other : this;
  }
}

package io.llmgateway.server.metrics;

import java.time.Duration;

/**
 * The fixed histogram buckets of each latency timer (Prometheus {@code le}, plus {@code +Inf}).
 * Micrometer's percentile histogram gave ~70 buckets a series (10,500 lines after 300 requests);
 * these few are chosen for what each timer measures. LLM answers take from a fraction of a second
 * (short prompts, small models) to minutes (long reasoning answers; a call is cut at 300 s), so the
 * upper buckets are coarse. The gateway's own overhead is the difference of the two timers' sums.
 */
final class LatencyBuckets {
  /** Whole HTTP exchanges: admin and health routes (ms) up to chat answers and streams (min). */
  static final Duration[] HTTP =
      seconds(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);

  /** One upstream call (a whole answer, or the time to a stream's start). */
  static final Duration[] UPSTREAM = seconds(0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300);

  private LatencyBuckets() {}

  private static Duration[] seconds(double... s) {
    Duration[] out = new Duration[s.length];
    for (int i = 0; i < s.length; i++) {
      out[i] = Duration.ofNanos(Math.round(s[i] * 1e9));
    }
    return out;
  }
}

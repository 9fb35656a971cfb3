package io.llmgateway.bedrock;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforces the deadlines of calls in flight with one ticking thread instead of a timer task per
 * call: registering and unregistering cost a concurrent-set insert and remove, and nothing wakes a
 * timer thread per call (a scheduled-executor task per call woke its thread twice, measurably).
 * Every {@link #TICK} each registered {@link Watched} checks its own deadline, so timeouts fire up
 * to one tick late. Thread-safe; {@link #close()} stops the ticking thread.
 */
final class Deadlines implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);
  static final Duration TICK = Duration.ofMillis(20);

  /** Something with a deadline; {@link #check} runs on the ticking thread. */
  interface Watched {
    /** Acts if the deadline passed at {@code nowNanos}; returns false once no longer watched. */
    boolean check(long nowNanos);
  }

  private final Set<Watched> watched = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService ticker;

  Deadlines() {
    ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "bedrock-deadlines");
              t.setDaemon(true);
              return t;
            });
    ticker.scheduleWithFixedDelay(this::tick, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
  }

  void add(Watched w) {
    watched.add(w);
  }

  void remove(Watched w) {
    watched.remove(w);
  }

  private void tick() {
    if (watched.isEmpty()) {
      return;
    }
    long now = System.nanoTime();
    for (Watched w : watched) {
      try {
        if (!w.check(now)) {
          watched.remove(w);
        }
      } catch (RuntimeException e) {
        // Never let one call's failure stop the ticking for every other call.
        LOG.warn("deadline check failed: {}", e.toString());
        watched.remove(w);
      }
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    watched.clear();
  }
}

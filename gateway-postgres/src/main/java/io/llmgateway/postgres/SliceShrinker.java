package io.llmgateway.postgres;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs the rate limiter's give-back of unused parallel slots on one daemon thread, started on the
 * first rate-limited request (an instance without limits never starts it) and stopped by {@link
 * #close()}. Thread-safe.
 */
final class SliceShrinker implements AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SliceShrinker.class);

  private final Runnable task;
  private final Duration every;
  private ScheduledExecutorService executor;
  private volatile boolean started;
  private boolean closed;

  SliceShrinker(Runnable task, Duration every) {
    this.task = task;
    this.every = every;
  }

  void start() {
    if (!started) {
      startOnce();
    }
  }

  private synchronized void startOnce() {
    if (started || closed) {
      return;
    }
    started = true;
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> Thread.ofPlatform().daemon().name("rate-slot-shrinker").unstarted(r));
    executor.scheduleWithFixedDelay(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.warn("rate-limit slot give-back failed: {}", e.getMessage());
          }
        },
        every.toMillis(),
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (executor != null) {
      executor.shutdownNow();
    }
  }
}

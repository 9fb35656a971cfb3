package io.llmgateway.core.internal;

import io.llmgateway.core.requestlog.Refusal;
import io.llmgateway.core.requestlog.RefusalLog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes refused requests to the {@link RefusalLog} off the request path, owned by the {@code
 * Gateway}: {@link #offer} never waits. A request thread only samples the refusal and puts it on a
 * bounded queue; one writer thread appends whatever has queued up in one batch (up to {@link
 * #BATCH}). A refusal is not money, so nothing here ever slows a request down for it:
 *
 * <ul>
 *   <li><b>Sampled</b>: at most {@link #PER_SUBJECT_PER_MINUTE} refusals per subject and reason in
 *       one clock minute, where the subject is the key, or the client address when no key is known
 *       (a flood of invalid keys from one address writes at most that many rows a minute), and at
 *       most {@link #PER_MINUTE} in all per instance (many addresses). The rest are counted in
 *       {@link #sampledOut()}.
 *   <li><b>Dropped</b> when the queue is full (the database is slow or down) or a batch fails:
 *       counted in {@link #dropped()}, never waited for and never retried.
 * </ul>
 *
 * Thread-safe.
 */
public final class RefusalWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RefusalWriter.class);

  public static final int CAPACITY = 4_096;
  public static final int BATCH = 500;
  public static final int PER_SUBJECT_PER_MINUTE = 20;
  public static final int PER_MINUTE = 10_000;

  /** Subjects tracked in one minute; beyond it a new subject counts as sampled out. */
  static final int MAX_SUBJECTS = 100_000;

  private final RefusalLog target;
  private final BlockingQueue<Refusal> queue;
  private final Thread thread;
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong sampledOut = new AtomicLong();
  private volatile Minute minute = new Minute(Long.MIN_VALUE);
  private volatile boolean closed;

  /** The subjects counted in one clock minute. */
  private record Minute(long index, Map<String, AtomicInteger> subjects, AtomicInteger total) {
    Minute(long index) {
      this(index, new ConcurrentHashMap<>(), new AtomicInteger());
    }
  }

  public RefusalWriter(RefusalLog target) {
    this(target, CAPACITY);
  }

  RefusalWriter(RefusalLog target, int capacity) {
    this.target = target;
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = Thread.ofPlatform().daemon().name("refusal-writer").start(this::run);
  }

  /**
   * Queues {@code refusal} for writing unless it is sampled out or the queue is full; never blocks.
   * Returns whether it was queued.
   */
  public boolean offer(Refusal refusal) {
    if (closed || !sampled(refusal)) {
      return false;
    }
    accepted.incrementAndGet();
    if (!queue.offer(refusal)) {
      accepted.decrementAndGet();
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  private boolean sampled(Refusal r) {
    long index = Math.floorDiv(r.at().getEpochSecond(), 60);
    Minute m = minute;
    if (m.index() != index) {
      synchronized (this) {
        m = minute;
        if (m.index() < index) {
          m = new Minute(index);
          minute = m;
        }
      }
    }
    // A refusal timed just before the minute turned counts in the new one.
    if (m.total().incrementAndGet() > PER_MINUTE) {
      sampledOut.incrementAndGet();
      return false;
    }
    String subject =
        r.reason() + '|' + r.keyId().map(k -> "key:" + k).orElse("addr:" + r.client().orElse("-"));
    AtomicInteger n = m.subjects().get(subject);
    if (n == null) {
      if (m.subjects().size() >= MAX_SUBJECTS) {
        sampledOut.incrementAndGet();
        return false;
      }
      n = m.subjects().computeIfAbsent(subject, s -> new AtomicInteger());
    }
    if (n.incrementAndGet() > PER_SUBJECT_PER_MINUTE) {
      sampledOut.incrementAndGet();
      return false;
    }
    return true;
  }

  private void run() {
    List<Refusal> batch = new ArrayList<>(BATCH);
    while (true) {
      try {
        Refusal first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed && queue.isEmpty()) {
            return;
          }
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        write(batch);
      } catch (InterruptedException e) {
        return;
      } finally {
        done.addAndGet(batch.size());
        batch.clear();
      }
    }
  }

  private void write(List<Refusal> batch) {
    try {
      target.append(List.copyOf(batch));
    } catch (RuntimeException e) {
      dropped.addAndGet(batch.size());
      log.warn(
          "could not write {} refused request(s) to the request log: {}",
          batch.size(),
          e.toString());
    }
  }

  /** Waits until every refusal queued before this call is written (or dropped). */
  public boolean flush(Duration timeout) {
    long target = accepted.get();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (done.get() < target) {
      if (System.nanoTime() > deadline || !thread.isAlive()) {
        return false;
      }
      try {
        Thread.sleep(2);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** Refusals queued and not yet written. */
  public int queued() {
    return (int) Math.max(0, accepted.get() - done.get());
  }

  /** Refusals not written because the queue was full or their batch failed. */
  public long dropped() {
    return dropped.get();
  }

  /** Refusals not written because their subject (or the instance) was over its minute's share. */
  public long sampledOut() {
    return sampledOut.get();
  }

  /** Writes what is queued (waiting at most 2 s) and stops the thread. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    thread.interrupt();
  }
}

package io.llmgateway.core.internal;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.error.StorageUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes settlements to the ledger, either at once on the caller's thread ({@link #inline}) or off
 * the request path ({@link #deferred}): the request hands its settlement over and answers, and one
 * writer thread writes whatever has queued up in one {@link BudgetLedger#settleAll} call (on
 * PostgreSQL one statement and one commit for the lot). Having woken for a settlement, the writer
 * waits {@link #LINGER} for others before writing, so that requests in a row share one statement
 * instead of each paying for its own: measured with budget leases off at one connection, a settle
 * of its own was the database's largest CPU cost per request and slowed the next request, on the
 * same cores, more than any lock did (docs/PERFORMANCE.md "Eleventh session"). Under load batches
 * grow by themselves.
 *
 * <p>Deferring cannot loosen a budget: until its settlement is written a reservation keeps holding
 * its worst-case amount, so for those milliseconds admission is stricter, never looser. If the
 * process dies with settlements queued, their reservations expire and the sweeper charges them in
 * full (spend over-counted, never lost), as for a crash in the middle of a request.
 *
 * <p>While the ledger reports itself unavailable, a deferred batch is retried with a doubling pause
 * for up to {@link #RETRY_UNAVAILABLE_FOR} (a database fail-over), then given up. A settlement the
 * ledger refuses or still cannot take is logged and left to expire, and is then charged in full.
 * Thread-safe.
 */
public final class SettlementWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SettlementWriter.class);

  /** Settlements per ledger call: bounds a statement's size and how long its row locks are held. */
  static final int MAX_BATCH = 256;

  /**
   * How long the writer waits, after waking for a settlement, for more to join its batch. The
   * answer has gone out already, so no request waits for it; its reservation holds its worst case
   * that much longer (admission is stricter for those milliseconds, never looser), and a flush
   * ({@link #flush}, the admin reads) or {@link #close} waits at most that much more.
   */
  static final Duration LINGER = Duration.ofMillis(10);

  /**
   * At most this many settlements wait to be written: about two to four seconds of the writer's
   * work on the benchmark machine. A full queue makes callers wait for room (back-pressure: the
   * gateway then answers at the pace the database can write spend) for up to {@link #FULL_WAIT},
   * then write their own.
   */
  static final int CAPACITY = 16_384;

  /** How long a caller waits for room in a full queue before writing its settlement itself. */
  static final Duration FULL_WAIT = Duration.ofSeconds(2);

  /**
   * How long a deferred batch is retried while the ledger is unavailable: long enough for a
   * database fail-over, far shorter than a reservation's lifetime (after which the sweeper would
   * charge it in full anyway).
   */
  static final Duration RETRY_UNAVAILABLE_FOR = Duration.ofMinutes(2);

  /**
   * Once {@link #close()} has begun, an unavailable ledger is retried for at most this long in all
   * (not per batch): a stopping gateway whose database is gone must still stop. What is left is
   * logged, request by request, and charged in full when its reservation expires.
   */
  static final Duration CLOSE_RETRY_FOR = Duration.ofSeconds(30);

  /** What the queue carries: a settlement with what to do once it is written, or a marker. */
  private sealed interface Item {}

  private record Write(Settlement settlement, Consumer<Settlement> onWritten) implements Item {}

  /** Counted down once everything queued before it has been written. */
  private record Flush(CountDownLatch done) implements Item {}

  /** Ends the writer thread once everything queued before it has been written. */
  private record Stop() implements Item {}

  private final BudgetLedger ledger;
  private final LinkedBlockingQueue<Item> queue;
  private final Thread thread;
  private final Duration retryFor;
  private final Duration firstBackoff;
  private final long lingerNanos;
  private volatile boolean closed;
  private volatile long closeDeadline; // System.nanoTime(), set when closed
  private volatile boolean gaveUp; // past closeDeadline with the ledger unavailable
  private int queuedByWriter; // writes queued from the writer thread (a write's follow-up)

  private SettlementWriter(
      BudgetLedger ledger,
      boolean deferred,
      Duration retryFor,
      Duration firstBackoff,
      Duration linger) {
    this.ledger = ledger;
    this.retryFor = retryFor;
    this.firstBackoff = firstBackoff;
    this.lingerNanos = linger.toNanos();
    if (deferred) {
      this.queue = new LinkedBlockingQueue<>(CAPACITY);
      this.thread = Thread.ofPlatform().daemon().name("settlement-writer").start(this::run);
    } else {
      this.queue = null;
      this.thread = null;
    }
  }

  /** Writes each settlement on the caller's thread before {@link #write} returns. */
  public static SettlementWriter inline(BudgetLedger ledger) {
    return new SettlementWriter(ledger, false, Duration.ZERO, Duration.ZERO, Duration.ZERO);
  }

  /** Writes settlements in batches on a writer thread of its own; close it to stop that thread. */
  public static SettlementWriter deferred(BudgetLedger ledger) {
    return deferred(ledger, RETRY_UNAVAILABLE_FOR, Duration.ofMillis(500));
  }

  /** As {@link #deferred(BudgetLedger)}, with the retry window for an unavailable ledger given. */
  static SettlementWriter deferred(BudgetLedger ledger, Duration retryFor, Duration firstBackoff) {
    return new SettlementWriter(ledger, true, retryFor, firstBackoff, LINGER);
  }

  /** As {@link #deferred(BudgetLedger)}, with the writer's linger given (tests). */
  static SettlementWriter deferred(BudgetLedger ledger, Duration linger) {
    return new SettlementWriter(
        ledger, true, RETRY_UNAVAILABLE_FOR, Duration.ofMillis(500), linger);
  }

  /**
   * Writes (or queues) one settlement; {@code onWritten} runs once the ledger has taken it (not if
   * it could not be written).
   */
  public void write(Settlement settlement, Consumer<Settlement> onWritten) {
    Write w = new Write(settlement, onWritten);
    if (queue == null || closed || !offer(w)) {
      writeNow(List.of(w));
      return;
    }
    // Closed while we queued: close() may have drained the queue already. Whoever removes the
    // item writes it; if it is gone, the writer thread or close() has it.
    if (closed && queue.remove(w)) {
      writeNow(List.of(w));
    }
  }

  /**
   * Queues w, waiting for room unless on the writer thread itself (which would wait for itself).
   */
  private boolean offer(Write w) {
    if (Thread.currentThread() == thread) {
      boolean queued = queue.offer(w);
      if (queued) {
        queuedByWriter++;
      }
      return queued;
    }
    try {
      return queue.offer(w, FULL_WAIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until every settlement handed over before this call is written (at once when inline).
   *
   * @return false if that did not happen within {@code timeout}
   */
  public boolean flush(Duration timeout) {
    if (queue == null || closed) {
      return true;
    }
    Flush f = new Flush(new CountDownLatch(1));
    try {
      if (!queue.offer(f, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        return false;
      }
      return f.done().await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Whether settlements are written by the writer thread after the answer (not inline). */
  public boolean deferred() {
    return queue != null;
  }

  /** How many settlements are queued and not yet written (0 when inline). */
  public int queued() {
    return queue == null ? 0 : queue.size();
  }

  /** Writes everything queued, then stops the writer thread. Later writes happen inline. */
  @Override
  public void close() {
    if (queue == null || closed) {
      return;
    }
    Duration closeRetryFor = retryFor.compareTo(CLOSE_RETRY_FOR) < 0 ? retryFor : CLOSE_RETRY_FOR;
    closeDeadline = System.nanoTime() + closeRetryFor.toNanos();
    closed = true;
    try {
      // Not an interrupt: that could break a ledger call in flight.
      if (queue.offer(new Stop(), 30, TimeUnit.SECONDS)) {
        thread.join(Duration.ofSeconds(30));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    List<Item> rest = new ArrayList<>();
    queue.drainTo(rest);
    for (int from = 0; from < rest.size(); from += MAX_BATCH) {
      writeBatch(rest.subList(from, Math.min(rest.size(), from + MAX_BATCH)));
    }
  }

  private void run() {
    List<Item> batch = new ArrayList<>(MAX_BATCH);
    boolean stop = false;
    while (!stop) {
      try {
        batch.add(queue.take());
      } catch (InterruptedException e) {
        return; // only if someone else interrupts us: close() still writes what is left
      }
      queue.drainTo(batch, MAX_BATCH - 1);
      linger(batch);
      writeBatch(batch);
      stop = batch.stream().anyMatch(Stop.class::isInstance);
      batch.clear();
    }
  }

  /**
   * Lets more settlements join a batch that has room and no flush or stop marker in it. A plain
   * park, not a timed wait on the queue: an offer then wakes nobody (LinkedBlockingQueue signals
   * only a thread waiting in take or poll), so the requests queuing meanwhile make no hand-off.
   */
  private void linger(List<Item> batch) {
    if (lingerNanos <= 0
        || batch.size() >= MAX_BATCH
        || !batch.stream().allMatch(Write.class::isInstance)) {
      return;
    }
    long until = System.nanoTime() + lingerNanos;
    for (long left = lingerNanos; left > 0; left = until - System.nanoTime()) {
      LockSupport.parkNanos(this, left); // may return early (spuriously): park for the rest
    }
    queue.drainTo(batch, MAX_BATCH - batch.size());
  }

  private void writeBatch(List<Item> items) {
    List<Write> writes = new ArrayList<>(items.size());
    for (Item i : items) {
      if (i instanceof Write w) {
        writes.add(w);
      }
    }
    int followUpsBefore = queuedByWriter;
    try {
      writeNow(writes);
    } finally {
      // A write of this batch queued a follow-up (a lease's last draw queues its release): it is
      // behind this batch's markers' place, so the markers go back in the queue behind it.
      boolean followUps = queuedByWriter != followUpsBefore && Thread.currentThread() == thread;
      for (Item i : items) {
        if (i instanceof Flush f && !(followUps && queue.offer(f))) {
          f.done().countDown();
        }
      }
    }
  }

  private void writeNow(List<Write> writes) {
    if (writes.isEmpty()) {
      return;
    }
    if (gaveUp) {
      writes.forEach(
          w ->
              logUnsettled(
                  w,
                  new StorageUnavailableException(
                      "still unavailable at the shutdown deadline", null)));
      return;
    }
    if (queue != null) {
      // Deferred: settleAll even for one, since it may commit without waiting for durability
      // (BudgetLedger#settleAll); inline writes keep settle's durable commit.
      try {
        settleAllRetryingWhileUnavailable(writes);
        writes.forEach(SettlementWriter::written);
        return;
      } catch (RuntimeException e) {
        if (e instanceof StorageUnavailableException || writes.size() == 1) {
          // Still unavailable after the retries (one by one would fail the same way), or the
          // only settlement of the batch was refused.
          writes.forEach(w -> logUnsettled(w, e));
          return;
        }
        // All or nothing failed: one at a time, so one bad settlement cannot cost the others.
        log.warn(
            "settling a batch of {} failed ({}); settling them one by one",
            writes.size(),
            e.toString());
      }
    }
    for (Write w : writes) {
      try {
        ledger.apply(w.settlement());
        written(w);
      } catch (RuntimeException e) {
        logUnsettled(w, e);
      }
    }
  }

  /**
   * {@code settleAll}, tried again with a doubling pause while the ledger reports itself
   * unavailable, for at most {@code retryFor}; queued settlements wait meanwhile. Anything else (or
   * the last unavailability) is thrown.
   */
  private void settleAllRetryingWhileUnavailable(List<Write> writes) {
    List<Settlement> batch = writes.stream().map(Write::settlement).toList();
    long deadline = System.nanoTime() + retryFor.toNanos();
    long pause = firstBackoff.toNanos();
    while (true) {
      try {
        ledger.settleAll(batch);
        return;
      } catch (StorageUnavailableException e) {
        long next = System.nanoTime() + pause;
        if (closed && next - closeDeadline > 0) {
          gaveUp = true;
          throw e;
        }
        if (next - deadline > 0) {
          throw e;
        }
        log.warn(
            "the ledger is unavailable ({}); retrying {} settlement(s) in {} ms",
            e.getMessage(),
            batch.size(),
            pause / 1_000_000);
        LockSupport.parkNanos(pause);
        pause = Math.min(pause * 2, Duration.ofSeconds(8).toNanos());
      }
    }
  }

  private static void logUnsettled(Write w, RuntimeException e) {
    log.error(
        "could not settle request {} ({}); its reservation will be charged in full when it expires",
        w.settlement().record().requestId(),
        e.toString());
  }

  private static void written(Write w) {
    try {
      w.onWritten().accept(w.settlement());
    } catch (RuntimeException e) {
      log.warn(
          "settlement listener failed for request {}: {}",
          w.settlement().record().requestId(),
          e.toString());
    }
  }
}

package io.llmgateway.postgres;

import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups concurrent reserves into one statement (group commit, leader/follower style): a caller
 * queues its request; if no batch is running it leads, taking everything queued into one call,
 * otherwise it parks until a leader has decided its request. A lone request is run at once on its
 * own thread, with no hand-off and no added wait; under load, requests that arrive while a batch is
 * in the database go together in the next one, so one round trip and one commit serve many.
 *
 * <p>A failed batch is retried one request at a time, so that one bad request (say, a duplicate
 * reservation id) costs no other its reservation; but when the database cannot be reached at all,
 * every request of the batch fails at once (one by one, each would wait out the pool's timeout).
 * Thread-safe.
 */
final class ReserveBatcher {
  private static final Logger log = LoggerFactory.getLogger(ReserveBatcher.class);

  /** Requests per statement: bounds the statement's size and how long its row locks are held. */
  static final int MAX_BATCH = 32;

  /** A parked follower re-checks this often even if nobody wakes it (a safety net only). */
  private static final long PARK_NANOS = 5_000_000;

  private final Function<ReservationRequest, ReserveOutcome> single;
  private final Function<List<ReservationRequest>, List<ReserveOutcome>> batch;
  private final Predicate<RuntimeException> unreachable;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final ReentrantLock leader = new ReentrantLock();

  /**
   * @param single reserves one request (also the fallback for a failed batch)
   * @param batch reserves several in one statement, returning their outcomes in order
   * @param unreachable whether a failure means the database cannot be reached at all
   */
  ReserveBatcher(
      Function<ReservationRequest, ReserveOutcome> single,
      Function<List<ReservationRequest>, List<ReserveOutcome>> batch,
      Predicate<RuntimeException> unreachable) {
    this.single = single;
    this.batch = batch;
    this.unreachable = unreachable;
  }

  private static final class Pending {
    final ReservationRequest request;
    final Thread waiter = Thread.currentThread();
    volatile ReserveOutcome outcome;
    volatile RuntimeException failure;

    Pending(ReservationRequest request) {
      this.request = request;
    }

    boolean decided() {
      return outcome != null || failure != null;
    }
  }

  ReserveOutcome reserve(ReservationRequest request) {
    Pending mine = new Pending(request);
    queue.add(mine);
    while (!mine.decided()) {
      if (leader.tryLock()) {
        try {
          while (!mine.decided()) {
            runBatch();
          }
        } finally {
          leader.unlock();
          // Whoever queued while we led parks until woken: hand the lead to the first of them,
          // even if we leave with an error.
          Pending next = queue.peek();
          if (next != null) {
            LockSupport.unpark(next.waiter);
          }
        }
      } else {
        LockSupport.parkNanos(this, PARK_NANOS);
      }
    }
    if (mine.failure != null) {
      throw mine.failure;
    }
    return mine.outcome;
  }

  private void runBatch() {
    List<Pending> taken = new ArrayList<>(MAX_BATCH);
    Pending p;
    while (taken.size() < MAX_BATCH && (p = queue.poll()) != null) {
      taken.add(p);
    }
    if (taken.isEmpty()) {
      return;
    }
    try {
      decideAll(taken);
    } finally {
      // An Error out of the ledger (not a RuntimeException) leaves requests taken from the queue
      // undecided: fail them, or each would lead over an empty queue forever, spinning.
      for (Pending t : taken) {
        if (!t.decided()) {
          decide(t, null, new IllegalStateException("the reserve's batch failed with an error"));
        }
      }
    }
  }

  private void decideAll(List<Pending> taken) {
    if (taken.size() > 1) {
      try {
        List<ReserveOutcome> outcomes = batch.apply(taken.stream().map(t -> t.request).toList());
        for (int i = 0; i < taken.size(); i++) {
          decide(taken.get(i), outcomes.get(i), null);
        }
        return;
      } catch (RuntimeException e) {
        if (unreachable.test(e)) {
          taken.forEach(t -> decide(t, null, e));
          return;
        }
        log.warn(
            "reserving a batch of {} failed ({}); reserving them one by one",
            taken.size(),
            e.toString());
      }
    }
    for (Pending t : taken) {
      try {
        decide(t, single.apply(t.request), null);
      } catch (RuntimeException e) {
        decide(t, null, e);
      }
    }
  }

  private static void decide(Pending p, ReserveOutcome outcome, RuntimeException failure) {
    if (failure != null) {
      p.failure = failure;
    } else {
      p.outcome = outcome;
    }
    if (p.waiter != Thread.currentThread()) {
      LockSupport.unpark(p.waiter);
    }
  }
}

package io.llmgateway.core.internal;

import io.llmgateway.core.InvalidationBus;
import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.internal.LeaseSlots.Slot;
import io.llmgateway.core.internal.LeaseSlots.SlotKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget leases: take the ledger's durable write off the path of most requests without loosening a
 * budget. This class takes, recalls and retires this instance's leases and runs their upkeep;
 * {@link LeaseSlots} is the table of them, one slot per counter set, a {@link Lease} keeps its own
 * balance, {@link LeaseHold} is a request's part of one, and {@link LeaseSizing} decides how large
 * a lease may be.
 *
 * <p>A lease is an ordinary reservation in the ledger, made by this instance for a slice of one
 * counter set's headroom (the counters a user's requests draw on). While its admission window is
 * open, requests on that counter set are admitted against it in memory: each holds its worst case
 * from the lease's balance, and on settlement draws its actual cost from it ({@link
 * BudgetLedger#draw}, written with the deferred settlements) and returns the rest. When the window
 * closes (or the lease sits idle), the lease is retired; once its last draw is written it is
 * released ({@link BudgetLedger#release}).
 *
 * <p>Why the guarantee still holds: in the ledger the lease holds its whole amount on every
 * counter, so {@code committed + reserved <= limit} is checked when it is taken, as for any
 * reservation; in memory the requests admitted against it never hold more than it. If the instance
 * dies, the lease expires like any reservation and the sweeper charges what is left of it in full:
 * spend is over-counted after a crash, never lost. A lease is retired before its deadline minus the
 * reservation TTL, so every request admitted against it settles (or is charged with it) in time. A
 * draw that could not be written keeps its lease from being released, so the lease expires and
 * covers it. Thread-safe.
 */
public final class BudgetLeases implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BudgetLeases.class);

  /** A lease nobody has used for this long is retired (its slice goes back to the counters). */
  public static final Duration IDLE = Duration.ofSeconds(2);

  /** After a lease could not be had for a counter set, how long before trying again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** The model name of a lease's pending spend row (written only if the lease expires). */
  public static final String MODEL = BudgetLedger.LEASE_MODEL;

  /**
   * How long a request that needs headroom held by leases waits, at most, for them to come back
   * (recalled from this and every other instance) before it is clamped or refused.
   */
  public static final Duration RECALL_WAIT = Duration.ofSeconds(1);

  private static final long RECALL_POLL_NANOS = Duration.ofMillis(20).toNanos();

  /** How long a request near its limit waits, at most, for this instance's idle leases to go. */
  private static final Duration RELEASE_WAIT = Duration.ofMillis(500);

  private static final long MAINTENANCE_NANOS = Duration.ofMillis(250).toNanos();

  private final BudgetLedger ledger;
  private final InvalidationBus bus;
  private final SettlementWriter writer;
  private final Duration window;
  private final Duration reservationTtl;
  private final Clock clock;
  private final LeaseSlots slots = new LeaseSlots();
  private final Thread maintenance;
  private volatile boolean closed;

  /**
   * @param window how long a lease admits requests
   * @param reservationTtl the longest a request may take (a lease is held this much past its
   *     window)
   */
  public BudgetLeases(
      BudgetLedger ledger,
      InvalidationBus bus,
      SettlementWriter writer,
      Duration window,
      Duration reservationTtl,
      Clock clock) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("lease window must be positive");
    }
    this.ledger = ledger;
    this.bus = bus;
    this.writer = writer;
    this.window = window;
    this.reservationTtl = reservationTtl;
    this.clock = clock;
    this.maintenance = Thread.ofPlatform().daemon().name("budget-leases").start(this::maintain);
    // Another instance (or this one) needs headroom our leases hold: retire them, so the idle ones
    // are released at once and the others as soon as their requests settle.
    bus.subscribe(
        i -> {
          if (i instanceof Invalidation.LeaseRecall r && !closed) {
            slots.retireOn((key, lease) -> touches(key, r.counters()));
          }
        });
  }

  private static boolean touches(SlotKey key, Collection<CounterKey> counters) {
    return key.lines().stream().anyMatch(l -> counters.contains(l.counter()));
  }

  /**
   * Gets back the headroom budget leases hold on {@code counters}, for a request that would
   * otherwise be refused or clamped: this instance's leases on them are retired, every other
   * instance is asked to retire its own (a {@link Invalidation.LeaseRecall} on the bus), and the
   * caller waits, at most {@link #RECALL_WAIT}, until the ledger shows no lease held on them. Idle
   * leases come back within milliseconds; a lease some request still holds comes back when that
   * request settles.
   *
   * @return whether leases held headroom there (so that trying again may now succeed)
   */
  public boolean recall(List<CounterKey> counters) {
    if (counters.isEmpty()) {
      return false;
    }
    boolean local = slots.retireOn((key, lease) -> touches(key, counters));
    if (local) {
      writer.flush(RELEASE_WAIT); // this instance's releases (after its queued draws)
    }
    if (ledger.leasedOn(counters).isZero()) {
      return local;
    }
    bus.publish(new Invalidation.LeaseRecall(counters));
    long deadline = System.nanoTime() + RECALL_WAIT.toNanos();
    do {
      LockSupport.parkNanos(RECALL_POLL_NANOS);
      writer.flush(RELEASE_WAIT);
      if (ledger.leasedOn(counters).isZero()) {
        return true;
      }
    } while (System.nanoTime() < deadline);
    return true;
  }

  /**
   * Holds {@code worstCase} for a request on {@code lines} against this instance's lease, taking a
   * new lease if there is none or it is spent; empty if no lease can be had (the request then
   * reserves in the ledger on its own).
   *
   * @param requester the request's pending spend record (names the lease's key, user and team)
   * @param chargeId the request's unique charge id (its draw's key in the ledger)
   */
  public Optional<Claim> hold(
      List<BudgetLine> lines,
      Money worstCase,
      SpendRecord requester,
      String chargeId,
      Instant now) {
    if (closed) {
      return Optional.empty();
    }
    SlotKey key = SlotKey.of(lines, requester);
    LeaseHold h = tryHold(slots.get(key), worstCase, chargeId, now);
    if (h != null) {
      return Optional.of(h);
    }
    while (true) {
      Slot slot = slots.getOrAdd(key);
      slot.taking.lock();
      try {
        if (slots.get(key) != slot) {
          continue; // maintenance dropped it while we waited; use the new one
        }
        h = tryHold(slot, worstCase, chargeId, now); // someone may have taken one meanwhile
        if (h != null) {
          return Optional.of(h);
        }
        synchronized (slot) {
          if (now.isBefore(slot.retryAfter)) {
            return Optional.empty();
          }
        }
        giveBackIfIdle(slot);
        return Optional.ofNullable(take(slot, lines, worstCase, requester, chargeId, now));
      } finally {
        slot.taking.unlock();
      }
    }
  }

  private static LeaseHold tryHold(Slot slot, Money worstCase, String chargeId, Instant now) {
    if (slot == null) {
      return null;
    }
    Lease l;
    synchronized (slot) {
      l = slot.current;
    }
    return l != null && l.take(worstCase, now) ? new LeaseHold(l, worstCase, chargeId) : null;
  }

  /**
   * The slot's lease could not admit a request (too little left): if nobody holds any of it, it is
   * retired and its release written before the next lease is sized, so what it has left counts as
   * headroom again. On a small budget that rest can be most of a worst case; held, it would shrink
   * the next lease or send the request to a refusal and a recall. Caller holds {@code slot.taking}.
   */
  private void giveBackIfIdle(Slot slot) {
    Lease stale;
    synchronized (slot) {
      stale = slot.current;
      if (stale == null || !stale.idle()) {
        return;
      }
      slot.current = null;
    }
    stale.retire();
    writer.flush(RELEASE_WAIT);
  }

  /** Takes a new lease for the slot (caller holds {@code slot.taking}); null if none can be had. */
  private LeaseHold take(
      Slot slot,
      List<BudgetLine> lines,
      Money worstCase,
      SpendRecord requester,
      String chargeId,
      Instant now) {
    Instant admitUntil = admitUntil(lines, now);
    if (!now.isBefore(admitUntil)) {
      return null; // a line's limit no longer holds (lines computed before an expiry)
    }
    Money size =
        LeaseSizing.size(
            lines,
            worstCase,
            lines.isEmpty()
                ? Map.of()
                : ledger.balances(lines.stream().map(BudgetLine::counter).toList()));
    if (size.isZero()) {
      retryLater(slot, now);
      return null;
    }
    String id = "lease-" + UUID.randomUUID();
    // The lease's row names the key, user and team of the request that took it; it is written
    // only if the lease expires (its instance died).
    SpendRecord holder = requester.withRequest(id, MODEL);
    ReserveOutcome outcome =
        ledger.reserve(
            new ReservationRequest(
                id,
                lines,
                size,
                now,
                admitUntil.plus(reservationTtl),
                holder.finish(Optional.empty(), size, SpendStatus.PENDING, Optional.empty(), now)));
    if (!(outcome instanceof ReserveOutcome.Reserved)) {
      retryLater(slot, now);
      return null;
    }
    Lease lease = new Lease(id, lines, holder, size, admitUntil, writer);
    lease.take(worstCase, now);
    Lease old;
    synchronized (slot) {
      old = slot.current;
      slot.current = lease;
    }
    if (old != null) {
      old.retire();
    }
    if (closed) {
      // Closed while this lease was being taken: it serves this request only, then is released.
      retireAll();
    }
    return new LeaseHold(lease, worstCase, chargeId);
  }

  /**
   * When a lease taken now stops admitting: after its window, but never at or after the moment a
   * line's limit stops holding (a temporary increase expiring, a period ending), so nothing is
   * admitted on a raised limit once it has fallen back. Requests already admitted keep their holds
   * and settle as usual; the lease's unused rest is released as for any retired lease.
   */
  static Instant admitUntil(List<BudgetLine> lines, Instant now, Duration window) {
    Instant until = now.plus(window);
    for (BudgetLine line : lines) {
      if (line.limitUntil().isBefore(until)) {
        until = line.limitUntil();
      }
    }
    return until;
  }

  private Instant admitUntil(List<BudgetLine> lines, Instant now) {
    return admitUntil(lines, now, window);
  }

  private static void retryLater(Slot slot, Instant now) {
    synchronized (slot) {
      slot.retryAfter = now.plus(RETRY_AFTER);
    }
  }

  /**
   * Retires this instance's idle leases (none of whose balance a request holds) on any counter
   * {@code touches} accepts, and waits briefly (at most twice {@code RELEASE_WAIT}) for them to be
   * released. Leases in use are left alone: their requests are paid for from them. Called before a
   * request near its limit is refused or clamped, so that this instance's idle slices do not decide
   * it, and before a budget read of those counters, so that it shows what is spent rather than
   * slices held.
   *
   * @return whether any lease was retired
   */
  public boolean releaseIdleOn(Predicate<CounterKey> touches) {
    boolean any =
        slots.retireOn(
            (key, lease) ->
                lease.idle() && key.lines().stream().anyMatch(l -> touches.test(l.counter())));
    if (any) {
      // First the draws still queued (each written draw may free its lease's release), then
      // the releases.
      writer.flush(RELEASE_WAIT);
      writer.flush(RELEASE_WAIT);
    }
    return any;
  }

  /**
   * Retires every lease; the idle ones are released through the writer at once (budget reads that
   * follow a flush then see no slice of this instance's held).
   */
  public void retireAll() {
    slots.retireOn((key, lease) -> true);
  }

  /** Leases open for new requests. */
  public int open() {
    return slots.open();
  }

  /** Stops taking leases and retires every lease (call before closing the writer). */
  @Override
  public void close() {
    closed = true;
    maintenance.interrupt();
    try {
      maintenance.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    retireAll();
  }

  private void maintain() {
    while (!closed) {
      LockSupport.parkNanos(MAINTENANCE_NANOS);
      if (Thread.interrupted()) {
        return;
      }
      try {
        slots.maintainOnce(clock.instant(), IDLE);
      } catch (RuntimeException e) {
        log.warn("budget lease maintenance failed: {}", e.toString());
      }
    }
  }
}

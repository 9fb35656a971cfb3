package io.llmgateway.core.internal;

import io.llmgateway.core.budget.BudgetLedger;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Budget leases: take the ledger's durable write off the path of most requests without loosening a
 * budget.
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
 * covers it.
 *
 * <p>Leases are only taken where they cannot change a decision: a lease takes at most a tenth of
 * any of its counters' headroom and at most {@value #MAX_WORST_CASES} worst cases of the request
 * that takes it, and none is taken when that is less than {@value #MIN_WORST_CASES} worst cases.
 * Near a limit every request reserves in the ledger, as without leases, and its output cap is
 * clamped to the exact headroom. A request refused there first has this instance's idle leases on
 * its counters released and tries again. Thread-safe.
 */
public final class BudgetLeases implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BudgetLeases.class);

  /** A lease holds at most this many worst cases of the request that takes it. */
  static final int MAX_WORST_CASES = 64;

  /** With room for fewer worst cases than this, no lease: requests reserve one by one. */
  static final int MIN_WORST_CASES = 4;

  /** A lease takes at most 1/this of any of its counters' headroom. */
  static final long HEADROOM_SHARE = 10;

  /** A lease nobody has used for this long is retired (its slice goes back to the counters). */
  public static final Duration IDLE = Duration.ofSeconds(2);

  /** After a lease could not be had for a counter set, how long before trying again. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(1);

  /** The model name of a lease's pending spend row (written only if the lease expires). */
  public static final String MODEL = "budget-lease";

  /** How long a request near its limit waits for this instance's idle leases to be released. */
  private static final Duration RELEASE_WAIT = Duration.ofSeconds(2);

  private static final long MAINTENANCE_NANOS = Duration.ofMillis(250).toNanos();

  private final BudgetLedger ledger;
  private final SettlementWriter writer;
  private final Duration window;
  private final Duration reservationTtl;
  private final Clock clock;
  private final Map<List<BudgetLine>, Slot> slots = new ConcurrentHashMap<>();
  private final Thread maintenance;
  private volatile boolean closed;

  /**
   * @param window how long a lease admits requests
   * @param reservationTtl the longest a request may take (a lease is held this much past its
   *     window)
   */
  public BudgetLeases(
      BudgetLedger ledger,
      SettlementWriter writer,
      Duration window,
      Duration reservationTtl,
      Clock clock) {
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("lease window must be positive");
    }
    this.ledger = ledger;
    this.writer = writer;
    this.window = window;
    this.reservationTtl = reservationTtl;
    this.clock = clock;
    this.maintenance = Thread.ofPlatform().daemon().name("budget-leases").start(this::maintain);
  }

  /** One counter set's place: the lease open for new requests, if any. */
  private static final class Slot {
    final ReentrantLock taking = new ReentrantLock();
    Lease current; // guarded by this
    Instant retryAfter = Instant.MIN; // guarded by this
  }

  /** A lease: its ledger reservation and its in-memory balance. */
  static final class Lease {
    final String id;
    final List<BudgetLine> lines;
    final SpendRecord holder;
    final long amount;
    final Instant admitUntil;
    // guarded by this
    long available;
    int holds;
    int unwritten;
    // issue 14 (leasewrite): every draw handed to the writer, written or not; the release carries
    // it so the ledger charges draws a database crash lost instead of releasing them.
    long drawn;
    boolean retired;
    boolean released;
    Instant lastUsed;

    Lease(String id, List<BudgetLine> lines, SpendRecord holder, long amount, Instant admitUntil) {
      this.id = id;
      this.lines = lines;
      this.holder = holder;
      this.amount = amount;
      this.admitUntil = admitUntil;
      this.available = amount;
    }

    /** Takes {@code worstCase} from the balance if the lease may still admit it. */
    synchronized boolean take(long worstCase, Instant now) {
      if (retired || !now.isBefore(admitUntil) || available < worstCase) {
        return false;
      }
      available -= worstCase;
      holds++;
      lastUsed = now;
      return true;
    }

    /** Whether it is time to release it; if so, it is marked released. */
    private boolean releasable() {
      if (retired && holds == 0 && unwritten == 0 && !released) {
        released = true;
        return true;
      }
      return false;
    }
  }

  /** A request's part of a lease: its worst case, held until it settles. */
  public static final class Hold {
    private final BudgetLeases leases;
    private final Lease lease;
    private final Money amount;

    private Hold(BudgetLeases leases, Lease lease, Money amount) {
      this.leases = leases;
      this.lease = lease;
      this.amount = amount;
    }

    /** The lease's reservation id: what the request's draw is written against. */
    public String leaseId() {
      return lease.id;
    }

    /**
     * Settles the request: its {@code record} (costing {@code cost}) is drawn from the lease
     * through the settlement writer, and the rest of its worst case goes back to the lease's
     * balance. The lease is not released before that draw is written; if it never is, the lease
     * expires and is charged in full, which covers the request.
     *
     * @param onWritten runs once the draw is in the ledger
     */
    public void settle(SpendRecord record, Money cost, Consumer<Settlement> onWritten) {
      synchronized (lease) {
        lease.unwritten++;
        lease.drawn += cost.nanos(); // issue 14 (leasewrite)
      }
      leases.writer.write(
          new Settlement(lease.id, record, Settlement.Kind.DRAW),
          s -> {
            drawWritten();
            onWritten.accept(s);
          });
      finish(cost);
    }

    private void drawWritten() {
      boolean release;
      synchronized (lease) {
        lease.unwritten--;
        release = lease.releasable();
      }
      leases.releaseLater(lease, release);
    }

    private void finish(Money cost) {
      boolean release;
      synchronized (lease) {
        lease.holds--;
        lease.available += amount.nanos() - cost.nanos();
        release = lease.releasable();
      }
      leases.releaseLater(lease, release);
    }
  }

  /**
   * Holds {@code worstCase} for a request on {@code lines} against this instance's lease, taking a
   * new lease if there is none or it is spent; empty if no lease can be had (the request then
   * reserves in the ledger on its own).
   *
   * @param requester the request's pending spend record (names the lease's key, user and team)
   */
  public Optional<Hold> hold(
      List<BudgetLine> lines, Money worstCase, SpendRecord requester, Instant now) {
    if (closed) {
      return Optional.empty();
    }
    Hold h = tryHold(slots.get(lines), worstCase, now);
    if (h != null) {
      return Optional.of(h);
    }
    while (true) {
      Slot slot = slots.computeIfAbsent(lines, k -> new Slot());
      slot.taking.lock();
      try {
        if (slots.get(lines) != slot) {
          continue; // maintenance dropped it while we waited; use the new one
        }
        h = tryHold(slot, worstCase, now); // someone may have taken one while we waited
        if (h != null) {
          return Optional.of(h);
        }
        synchronized (slot) {
          if (now.isBefore(slot.retryAfter)) {
            return Optional.empty();
          }
        }
        return Optional.ofNullable(take(slot, lines, worstCase, requester, now));
      } finally {
        slot.taking.unlock();
      }
    }
  }

  private Hold tryHold(Slot slot, Money worstCase, Instant now) {
    if (slot == null) {
      return null;
    }
    Lease l;
    synchronized (slot) {
      l = slot.current;
    }
    return l != null && l.take(worstCase.nanos(), now) ? new Hold(this, l, worstCase) : null;
  }

  /** Takes a new lease for the slot (caller holds {@code slot.taking}); null if none can be had. */
  private Hold take(
      Slot slot, List<BudgetLine> lines, Money worstCase, SpendRecord requester, Instant now) {
    long size = size(lines, worstCase.nanos());
    if (size < MIN_WORST_CASES * worstCase.nanos() || size <= 0) {
      retryLater(slot, now);
      return null;
    }
    String id = "lease-" + UUID.randomUUID();
    Instant admitUntil = now.plus(window);
    // The lease's row names the key, user and team of the request that took it; it is written
    // only if the lease expires (its instance died).
    SpendRecord holder = requester.withRequest(id, MODEL);
    Money amount = Money.ofNanos(size);
    ReserveOutcome outcome =
        ledger.reserve(
            new ReservationRequest(
                id,
                lines,
                amount,
                now,
                admitUntil.plus(reservationTtl),
                holder.finish(
                    Optional.empty(), amount, SpendStatus.PENDING, Optional.empty(), now)));
    if (!(outcome instanceof ReserveOutcome.Reserved)) {
      retryLater(slot, now);
      return null;
    }
    Lease lease = new Lease(id, lines, holder, size, admitUntil);
    lease.take(worstCase.nanos(), now);
    Lease old;
    synchronized (slot) {
      old = slot.current;
      slot.current = lease;
    }
    if (old != null) {
      retire(old);
    }
    if (closed) {
      // Closed while this lease was being taken: it serves this request only, then is released.
      retireAll();
    }
    return new Hold(this, lease, worstCase);
  }

  /** The lease to take: bounded by the worst case and by every counter's headroom. */
  private long size(List<BudgetLine> lines, long worstCase) {
    long size =
        worstCase > Money.MAX.nanos() / MAX_WORST_CASES
            ? Money.MAX.nanos()
            : worstCase * MAX_WORST_CASES;
    if (lines.isEmpty()) {
      return size;
    }
    List<CounterKey> counters = lines.stream().map(BudgetLine::counter).toList();
    Map<CounterKey, CounterBalance> balances = ledger.balances(counters);
    for (BudgetLine line : lines) {
      CounterBalance b = balances.getOrDefault(line.counter(), CounterBalance.EMPTY);
      size = Math.min(size, line.limit().minusOrZero(b.used()).nanos() / HEADROOM_SHARE);
    }
    return size;
  }

  private static void retryLater(Slot slot, Instant now) {
    synchronized (slot) {
      slot.retryAfter = now.plus(RETRY_AFTER);
    }
  }

  /**
   * Retires this instance's leases on any counter {@code touches} accepts and waits (briefly) until
   * those no request holds are released. Called before a request near its limit is refused or
   * clamped, so that this instance's own idle slices do not decide it, and before a budget read of
   * those counters, so that it shows what is spent rather than slices held.
   *
   * @return whether any lease was retired
   */
  public boolean releaseIdleOn(Predicate<CounterKey> touches) {
    boolean any = retireOn(lines -> lines.stream().anyMatch(l -> touches.test(l.counter())));
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
    retireOn(lines -> true);
  }

  /** Retires the leases whose counter set {@code which} accepts; returns whether there were any. */
  private boolean retireOn(Predicate<List<BudgetLine>> which) {
    boolean any = false;
    for (Map.Entry<List<BudgetLine>, Slot> e : slots.entrySet()) {
      Lease l = which.test(e.getKey()) ? detach(e.getValue()) : null;
      if (l != null) {
        retire(l);
        any = true;
      }
    }
    return any;
  }

  /** Leases open for new requests. */
  public int open() {
    int n = 0;
    for (Slot slot : slots.values()) {
      synchronized (slot) {
        n += slot.current == null ? 0 : 1;
      }
    }
    return n;
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

  private static Lease detach(Slot slot) {
    synchronized (slot) {
      Lease l = slot.current;
      slot.current = null;
      return l;
    }
  }

  private void retire(Lease lease) {
    boolean release;
    synchronized (lease) {
      lease.retired = true;
      release = lease.releasable();
    }
    releaseLater(lease, release);
  }

  private void releaseLater(Lease lease, boolean release) {
    if (release) {
      long drawn;
      synchronized (lease) {
        drawn = lease.drawn; // final: nothing is held or unwritten any more
      }
      // issue 14 (leasewrite): the release says what was drawn, so nothing is released on faith.
      writer.write(Settlement.release(lease.id, lease.holder, Money.ofNanos(drawn)), s -> {});
    }
  }

  /** Retires leases whose window is over or that sat idle; drops slots with nothing left. */
  private void maintainOnce(Instant now) {
    List<Lease> due = new ArrayList<>();
    for (Map.Entry<List<BudgetLine>, Slot> e : slots.entrySet()) {
      Slot slot = e.getValue();
      synchronized (slot) {
        Lease l = slot.current;
        if (l != null) {
          synchronized (l) {
            boolean idle = l.holds == 0 && !now.isBefore(l.lastUsed.plus(IDLE));
            if (!now.isBefore(l.admitUntil) || idle) {
              slot.current = null;
              due.add(l);
            }
          }
        }
      }
      if (slot.taking.tryLock()) {
        try {
          boolean empty;
          synchronized (slot) {
            empty = slot.current == null && !now.isBefore(slot.retryAfter);
          }
          if (empty) {
            slots.remove(e.getKey(), slot);
          }
        } finally {
          slot.taking.unlock();
        }
      }
    }
    due.forEach(this::retire);
  }

  private void maintain() {
    while (!closed) {
      LockSupport.parkNanos(MAINTENANCE_NANOS);
      if (Thread.interrupted()) {
        return;
      }
      try {
        maintainOnce(clock.instant());
      } catch (RuntimeException e) {
        log.warn("budget lease maintenance failed: {}", e.toString());
      }
    }
  }
}

package io.llmgateway.core.internal;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.Settlement;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One budget lease: its reservation in the ledger (id, amount, counters) and its in-memory balance,
 * from which requests hold their worst cases. It releases itself (through the settlement writer)
 * once it is retired, no request holds any of it, and every draw handed over has been written.
 * Thread-safe: its state is guarded by its monitor.
 */
final class Lease {
  private final String id;
  private final List<BudgetLine> lines;
  private final SpendRecord holder;
  private final Instant admitUntil;
  private final SettlementWriter writer;
  // guarded by this
  private long available;
  private int holds;
  private int unwritten;
  private long drawn;
  private boolean retired;
  private boolean released;
  private Instant lastUsed;

  /**
   * @param holder the lease's own pending spend row (written only if it expires)
   * @param amount what was reserved for it in the ledger
   * @param admitUntil when it stops admitting requests
   */
  Lease(
      String id,
      List<BudgetLine> lines,
      SpendRecord holder,
      Money amount,
      Instant admitUntil,
      SettlementWriter writer) {
    this.id = id;
    this.lines = lines;
    this.holder = holder;
    this.admitUntil = admitUntil;
    this.writer = writer;
    this.available = amount.nanos();
    this.lastUsed = holder.startedAt();
  }

  String id() {
    return id;
  }

  List<BudgetLine> lines() {
    return lines;
  }

  SettlementWriter writer() {
    return writer;
  }

  /** Takes {@code worstCase} from the balance if the lease may still admit it. */
  synchronized boolean take(Money worstCase, Instant now) {
    if (retired || !now.isBefore(admitUntil) || available < worstCase.nanos()) {
      return false;
    }
    available -= worstCase.nanos();
    holds++;
    lastUsed = now;
    return true;
  }

  /** Whether no request holds any of it right now. */
  synchronized boolean idle() {
    return holds == 0;
  }

  /** Whether it should stop admitting at {@code now}: its window is over, or it sat idle. */
  synchronized boolean due(Instant now, Duration idleAfter) {
    return !now.isBefore(admitUntil) || (holds == 0 && !now.isBefore(lastUsed.plus(idleAfter)));
  }

  /** A request's draw of {@code cost} was handed to the writer. */
  void drawHandedOver(Money cost) {
    synchronized (this) {
      unwritten++;
      drawn += cost.nanos();
    }
  }

  /** A draw handed over is in the ledger. */
  void drawWritten() {
    boolean release;
    synchronized (this) {
      unwritten--;
      release = releasable();
    }
    releaseIf(release);
  }

  /** A request that held {@code held} settled at {@code cost}: the rest goes back. */
  void holdEnded(Money held, Money cost) {
    boolean release;
    synchronized (this) {
      holds--;
      available += held.nanos() - cost.nanos();
      release = releasable();
    }
    releaseIf(release);
  }

  /** Stops it admitting; it is released as soon as nothing holds it and its draws are written. */
  void retire() {
    boolean release;
    synchronized (this) {
      retired = true;
      release = releasable();
    }
    releaseIf(release);
  }

  /** What the instance drew from it so far, written or not. */
  synchronized Money drawn() {
    return Money.ofNanos(drawn);
  }

  private boolean releasable() {
    if (retired && holds == 0 && unwritten == 0 && !released) {
      released = true;
      return true;
    }
    return false;
  }

  /**
   * Releases it, saying what this instance drew on it in total: the ledger charges any of those
   * draws it never saw (async commits a database crash lost), so nothing is released on faith.
   */
  private void releaseIf(boolean release) {
    if (release) {
      writer.write(new Settlement.Release(id, holder, drawn()), s -> {});
    }
  }
}

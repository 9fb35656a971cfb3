package io.llmgateway.core.internal;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.spend.SpendRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiPredicate;

/**
 * The table of {@link BudgetLeases}: one slot per counter set (or per key without a budget), each
 * with the lease open for new requests, and what is done across every slot (retire, count, upkeep).
 * Thread-safe.
 */
final class LeaseSlots {
  private final Map<SlotKey, Slot> slots = new ConcurrentHashMap<>();

  /**
   * What one slot is for: a counter set, or, for a key without any budget (no counters), that key,
   * so a crash charges each key's own lease, not a lease some other key took.
   */
  record SlotKey(List<BudgetLine> lines, String keyId) {
    static SlotKey of(List<BudgetLine> lines, SpendRecord requester) {
      return new SlotKey(lines, lines.isEmpty() ? requester.keyId() : "");
    }
  }

  /** One counter set's place: the lease open for new requests, if any. */
  static final class Slot {
    final ReentrantLock taking = new ReentrantLock();
    Lease current; // guarded by this
    Instant retryAfter = Instant.MIN; // guarded by this
  }

  /** The key's slot, or null if there is none. */
  Slot get(SlotKey key) {
    return slots.get(key);
  }

  /** The key's slot, added if there is none. */
  Slot getOrAdd(SlotKey key) {
    return slots.computeIfAbsent(key, k -> new Slot());
  }

  /** Retires the leases {@code which} accepts; returns whether there were any. */
  boolean retireOn(BiPredicate<SlotKey, Lease> which) {
    boolean any = false;
    for (Map.Entry<SlotKey, Slot> e : slots.entrySet()) {
      Slot slot = e.getValue();
      Lease l;
      synchronized (slot) {
        l = slot.current;
        if (l == null || !which.test(e.getKey(), l)) {
          continue;
        }
        slot.current = null;
      }
      l.retire();
      any = true;
    }
    return any;
  }

  /** Leases open for new requests. */
  int open() {
    int n = 0;
    for (Slot slot : slots.values()) {
      synchronized (slot) {
        n += slot.current == null ? 0 : 1;
      }
    }
    return n;
  }

  /** Retires leases whose window is over or that sat idle; drops slots with nothing left. */
  void maintainOnce(Instant now, Duration idle) {
    List<Lease> due = new ArrayList<>();
    for (Map.Entry<SlotKey, Slot> e : slots.entrySet()) {
      Slot slot = e.getValue();
      synchronized (slot) {
        Lease l = slot.current;
        if (l != null && l.due(now, idle)) {
          slot.current = null;
          due.add(l);
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
    due.forEach(Lease::retire);
  }
}

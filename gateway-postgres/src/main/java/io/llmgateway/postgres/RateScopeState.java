package io.llmgateway.postgres;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What one instance holds and uses of one rate-limit scope: per UTC minute, the slices of requests
 * and tokens it took from the database and what it admitted against them; and its lease of the
 * scope's parallel slots with the requests holding them. Guarded by {@link #lock}; only {@link
 * SlicedRateLimiter} touches it.
 */
final class RateScopeState {
  /** One minute of one scope on this instance. */
  static final class Window {
    /** Whether this instance has taken from the minute yet (the totals below are known). */
    boolean seen;

    long grantedRequests;
    long usedRequests;
    long grantedTokens;
    long usedTokens;

    /** The minute's totals handed out to every instance, as of this instance's last take. */
    long takenRequests;

    long takenTokens;

    /** The next slice's size; it doubles with each take, up to a cap (SlicedRateLimiter). */
    long nextRequests;

    long nextTokens;

    long freeRequests() {
      return grantedRequests - usedRequests;
    }

    long freeTokens() {
      return grantedTokens - usedTokens;
    }
  }

  final ReentrantLock lock = new ReentrantLock();
  final String scope;

  /** Set when the state was dropped as idle; whoever still holds it must look it up again. */
  boolean dropped;

  final Map<Instant, Window> windows = new HashMap<>();

  /** The scope's parallel limit as last seen. */
  long parallel;

  /** Parallel slots this instance's lease allows, and until when (after every holder's expiry). */
  long leased;

  Instant leaseExpires = Instant.EPOCH;

  /** The requests holding a slot, with their expiry (a holder that never releases lapses then). */
  final Map<String, Instant> holders = new HashMap<>();

  /** The most slots held at once since the last shrink. */
  long peak;

  RateScopeState(String scope) {
    this.scope = scope;
  }

  Window window(Instant minute) {
    return windows.computeIfAbsent(minute, m -> new Window());
  }

  /** Forgets minutes before the previous one and requests past their expiry. */
  void prune(Instant minute, Instant now) {
    Instant previous = minute.minusSeconds(60);
    windows.keySet().removeIf(m -> m.isBefore(previous));
    holders.values().removeIf(expires -> !now.isBefore(expires));
  }

  boolean idle() {
    return windows.isEmpty() && holders.isEmpty() && leased == 0;
  }
}

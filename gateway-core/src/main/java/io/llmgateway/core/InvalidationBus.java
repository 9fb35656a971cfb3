package io.llmgateway.core;

import io.llmgateway.core.budget.CounterKey;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells every gateway instance that cached identity or catalog data changed, so a blocked or
 * deleted key stops working everywhere within a bounded time, and that an instance wants back the
 * budget lease slices held on some counters. Implementations are thread-safe.
 */
public interface InvalidationBus {

  /** What changed: a key (by id), or everything (teams, users, models). */
  sealed interface Invalidation {
    record Key(String keyId) implements Invalidation {}

    record All() implements Invalidation {}

    /**
     * An instance needs headroom that budget leases hold on these counters: every instance retires
     * its leases on them (idle ones are released at once, ones in use when their requests settle).
     */
    record LeaseRecall(List<CounterKey> counters) implements Invalidation {
      public LeaseRecall {
        counters = List.copyOf(counters);
      }
    }
  }

  void publish(Invalidation invalidation);

  /**
   * Registers a listener; it is called on some thread for every published invalidation, at least
   * once (an implementation may tell its own instance at once and again when the message comes
   * back; invalidations are idempotent, so listeners must tolerate hearing one twice).
   */
  void subscribe(Consumer<Invalidation> listener);
}

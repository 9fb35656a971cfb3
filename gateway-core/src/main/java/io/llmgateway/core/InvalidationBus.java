package io.llmgateway.core;

import java.util.function.Consumer;

/**
 * Tells every gateway instance that cached identity or catalog data changed, so a blocked or
 * deleted key stops working everywhere within a bounded time. Implementations are thread-safe.
 */
public interface InvalidationBus {

  /** What changed: a key (by id), or everything (teams, users, models). */
  sealed interface Invalidation {
    record Key(String keyId) implements Invalidation {}

    record All() implements Invalidation {}
  }

  void publish(Invalidation invalidation);

  /** Registers a listener; it is called on some thread for every published invalidation. */
  void subscribe(Consumer<Invalidation> listener);
}

package io.llmgateway.core.memory;

import io.llmgateway.core.InvalidationBus;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers every invalidation synchronously, on the publishing thread, to every listener in this
 * process. One failing listener never keeps the others from hearing about a change. Thread-safe.
 */
final class InMemoryInvalidationBus implements InvalidationBus {
  private static final Logger LOG = LoggerFactory.getLogger(InMemoryInvalidationBus.class);
  private final List<Consumer<Invalidation>> listeners = new CopyOnWriteArrayList<>();

  @Override
  public void publish(Invalidation invalidation) {
    for (Consumer<Invalidation> listener : listeners) {
      try {
        listener.accept(invalidation);
      } catch (RuntimeException e) {
        LOG.warn("invalidation listener failed on {}", invalidation.getClass().getSimpleName(), e);
      }
    }
  }

  @Override
  public void subscribe(Consumer<Invalidation> listener) {
    listeners.add(java.util.Objects.requireNonNull(listener, "listener"));
  }
}

package io.llmgateway.core.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.InvalidationBus;
import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.Stores;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link InvalidationBus} must do. Delivery may be asynchronous (a database's
 * notifications), so the tests wait a bounded time. Subclass it with a factory for fresh stores.
 */
public abstract class InvalidationBusContract {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  /** How long a published invalidation may take to arrive. */
  protected Duration deliveryTimeout() {
    return Duration.ofSeconds(5);
  }

  protected InvalidationBus bus;

  @BeforeEach
  void setUpStores() {
    bus = newStores().invalidations();
  }

  private void awaitSize(List<?> list, int size) throws InterruptedException {
    long deadline = System.nanoTime() + deliveryTimeout().toNanos();
    while (list.size() < size && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
  }

  @Test
  void aSubscriberHearsEveryPublishedInvalidation() throws Exception {
    List<Invalidation> heard = new CopyOnWriteArrayList<>();
    bus.subscribe(heard::add);

    bus.publish(new Invalidation.Key("k1"));
    bus.publish(new Invalidation.All());
    awaitSize(heard, 2);

    // At least once each, in order (the publisher's own instance may hear one twice).
    assertThat(heard)
        .containsOnly(new Invalidation.Key("k1"), new Invalidation.All())
        .containsSubsequence(new Invalidation.Key("k1"), new Invalidation.All());
  }

  @Test
  void everySubscriberHearsIt() throws Exception {
    List<Invalidation> first = new CopyOnWriteArrayList<>();
    List<Invalidation> second = new CopyOnWriteArrayList<>();
    bus.subscribe(first::add);
    bus.subscribe(second::add);

    bus.publish(new Invalidation.Key("k9"));
    awaitSize(first, 1);
    awaitSize(second, 1);

    assertThat(first).containsOnly(new Invalidation.Key("k9"));
    assertThat(second).containsOnly(new Invalidation.Key("k9"));
  }

  @Test
  void aFailingSubscriberDoesNotSilenceTheOthers() throws Exception {
    List<Invalidation> heard = new CopyOnWriteArrayList<>();
    bus.subscribe(
        i -> {
          throw new IllegalStateException("listener bug");
        });
    bus.subscribe(heard::add);

    bus.publish(new Invalidation.All());
    awaitSize(heard, 1);

    assertThat(heard).containsOnly(new Invalidation.All());
  }
}

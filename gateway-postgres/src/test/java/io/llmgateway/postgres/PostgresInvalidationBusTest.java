package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.InvalidationBus.Invalidation;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PostgresInvalidationBusTest extends PostgresTestBase {

  @Test
  void anotherInstanceHearsAnInvalidationWithinOneSecond() throws Exception {
    try (PostgresAdapters other = PostgresAdapters.start(config)) {
      BlockingQueue<Invalidation> heard = new LinkedBlockingQueue<>();
      other.stores().invalidations().subscribe(heard::add);

      long start = System.nanoTime();
      stores.invalidations().publish(new Invalidation.Key("key_123"));
      Invalidation got = heard.poll(1, TimeUnit.SECONDS);
      long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

      assertThat(got).isEqualTo(new Invalidation.Key("key_123"));
      assertThat(millis).isLessThan(1000);
      System.out.println("invalidation delivered across instances in " + millis + " ms");

      stores.invalidations().publish(new Invalidation.All());
      assertThat(heard.poll(1, TimeUnit.SECONDS)).isEqualTo(new Invalidation.All());
    }
  }

  @Test
  void aLeaseRecallReachesAnotherInstanceWithItsCounters() throws Exception {
    try (PostgresAdapters other = PostgresAdapters.start(config)) {
      BlockingQueue<Invalidation> heard = new LinkedBlockingQueue<>();
      other.stores().invalidations().subscribe(heard::add);
      var recall =
          new Invalidation.LeaseRecall(
              java.util.List.of(
                  new io.llmgateway.core.budget.CounterKey(
                      io.llmgateway.core.budget.BudgetScope.team("t:1 \"x\""),
                      io.llmgateway.core.budget.BudgetWindow.DAILY,
                      "2026-12-06"),
                  new io.llmgateway.core.budget.CounterKey(
                      io.llmgateway.core.budget.BudgetScope.user("u1"),
                      io.llmgateway.core.budget.BudgetWindow.MONTHLY,
                      "2026-12")));

      stores.invalidations().publish(recall);

      assertThat(heard.poll(1, TimeUnit.SECONDS)).isEqualTo(recall);
    }
  }

  @Test
  void thePublisherHearsItsOwnInvalidationToo() throws Exception {
    BlockingQueue<Invalidation> heard = new LinkedBlockingQueue<>();
    stores.invalidations().subscribe(heard::add);
    stores.invalidations().publish(new Invalidation.Key("key_self"));
    // The key, within a second. Other notifications may come first: an All from the listener's
    // connection (established on a loaded machine just now, it invalidates everything when it
    // starts listening) or the echo of an earlier test's publish on the same database, whose
    // NOTIFY reaches this new subscriber late (a fresh-clone CI run saw key_sync here).
    java.util.List<Invalidation> got = new java.util.ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
    while (!got.contains(new Invalidation.Key("key_self")) && System.nanoTime() < deadline) {
      Invalidation i = heard.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (i != null) {
        got.add(i);
      }
    }
    assertThat(got).contains(new Invalidation.Key("key_self"));
  }

  @Test
  void thePublisherHearsAKeyOrAllInvalidationBeforePublishReturns() {
    // An admin change followed at once by a request on the same instance must not be served
    // from the stale cache (BudgetAddedMidMonthTest saw a request admitted without the team
    // budget just added: the instance heard its own NOTIFY only a few ms later).
    java.util.List<Invalidation> heard = new java.util.concurrent.CopyOnWriteArrayList<>();
    stores.invalidations().subscribe(heard::add);
    stores.invalidations().publish(new Invalidation.Key("key_sync"));
    assertThat(heard).contains(new Invalidation.Key("key_sync"));
    stores.invalidations().publish(new Invalidation.All());
    assertThat(heard).contains(new Invalidation.All());
  }

  @Test
  void aDroppedListenerConnectionReconnectsAndInvalidatesEverything() throws Exception {
    BlockingQueue<Invalidation> heard = new LinkedBlockingQueue<>();
    stores.invalidations().subscribe(heard::add);
    int killed =
        org.jdbi.v3.core.Jdbi.create(adapters.dataSource())
            .withHandle(
                h ->
                    h.createQuery(
                            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                                + " WHERE application_name = 'llm-gateway-listener'"
                                + " AND datname = current_database()")
                        .mapTo(Integer.class)
                        .one());
    assertThat(killed).isEqualTo(1);
    // Whatever was published while it was away is lost, so it tells everyone "all".
    assertThat(heard.poll(5, TimeUnit.SECONDS)).isEqualTo(new Invalidation.All());
    heard.clear();
    stores.invalidations().publish(new Invalidation.Key("after_reconnect"));
    assertThat(heard.poll(2, TimeUnit.SECONDS)).isEqualTo(new Invalidation.Key("after_reconnect"));
  }
}

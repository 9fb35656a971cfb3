package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.internal.BudgetLeases;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.core.testing.UnreachableLedger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Budget leases when something fails: the instance dies holding a lease, or the database is out
 * while a lease admits requests. Spend is then over-counted, never lost. The same gateway as {@link
 * GatewayBudgetLeasesTest}.
 */
class BudgetLeaseFailuresTest extends LeasedGatewayTestBase {
  @Test
  void ifTheInstanceDiesItsLeaseIsChargedInFullNeverLess() {
    Gateway g = gateway(GatewayConfig.Settlement.INLINE, WINDOW);
    Principal p = g.authenticate(world.userWithKey("a@example.com", "roomy"));
    world.provider.usage(1000, 200);
    for (int i = 0; i < 3; i++) {
      g.chat(p, ChatRequest.of("model-cheap", "Hello"));
    }
    CounterBalance before = daily("a@example.com");
    assertThat(before.committed()).isEqualTo(Money.ofNanos(3 * 63_000));
    assertThat(before.reserved().nanos()).isGreaterThan(0);

    // The instance is gone (never closed); any instance's sweeper expires the lease after its
    // window and the longest request.
    int expired =
        ledger.expire(
            world.clock.instant().plus(WINDOW).plus(Duration.ofMinutes(15)).plusSeconds(1));

    assertThat(expired).isEqualTo(1);
    CounterBalance after = daily("a@example.com");
    assertThat(after.reserved()).isEqualTo(Money.ZERO);
    assertThat(after.committed()).isEqualTo(before.used());
    List<SpendRecord> rows = spend();
    assertThat(rows).hasSize(4);
    assertThat(rows)
        .filteredOn(r -> r.status() == SpendStatus.EXPIRED)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.model()).isEqualTo(BudgetLeases.MODEL);
              assertThat(r.cost()).isEqualTo(before.reserved());
            });
    // The spend log adds up to the counter: over-counted by the unused slice, nothing lost.
    assertThat(rows.stream().mapToLong(r -> r.cost().nanos()).sum())
        .isEqualTo(after.committed().nanos());
    g.close();
    assertThat(daily("a@example.com")).isEqualTo(after);
  }

  @Test
  void duringADatabaseOutageALeaseStillAdmitsAndWhatItCouldNotWriteIsChargedWithIt() {
    AtomicBoolean down = new AtomicBoolean();
    Gateway g =
        Gateway.builder()
            .stores(world.storesWith(new UnreachableLedger(world.stores.ledger(), down)))
            .provider(world.provider)
            .clock(world.clock)
            .config(GatewayConfig.builder().leaseWindow(WINDOW).build())
            .build();
    Principal p = g.authenticate(world.userWithKey("a@example.com", "roomy"));
    world.provider.usage(1000, 200);
    g.chat(p, ChatRequest.of("model-cheap", "Hello"));

    down.set(true);
    // Admitted against the lease in memory; its draw cannot be written.
    g.chat(p, ChatRequest.of("model-cheap", "Hello"));
    down.set(false);
    g.close(); // the lease is not released: one of its draws is missing
    CounterBalance held = daily("a@example.com");
    assertThat(held.committed()).isEqualTo(Money.ofNanos(63_000));
    assertThat(held.reserved().nanos()).isGreaterThan(63_000);

    assertThat(
            world
                .stores
                .ledger()
                .expire(world.clock.instant().plus(WINDOW).plus(Duration.ofMinutes(16))))
        .isEqualTo(1);
    CounterBalance after = daily("a@example.com");
    assertThat(after.reserved()).isEqualTo(Money.ZERO);
    assertThat(after.committed()).isEqualTo(held.used());
    assertThat(after.committed().nanos()).isGreaterThanOrEqualTo(2 * 63_000);
    assertThat(spend().stream().mapToLong(r -> r.cost().nanos()).sum())
        .isEqualTo(after.committed().nanos());
  }
}

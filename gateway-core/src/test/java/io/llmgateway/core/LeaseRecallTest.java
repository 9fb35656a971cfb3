package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.testing.Fixtures;
import io.llmgateway.core.testing.TestWorld;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two gateway instances on one ledger and one bus: a request that needs headroom another instance's
 * idle budget leases hold gets them recalled, instead of being clamped or refused while the slices
 * sit unused.
 */
class LeaseRecallTest {
  private final TestWorld world = new TestWorld();
  private final Gateway a = instance();
  private final Gateway b = instance();

  private Gateway instance() {
    return world.gateway(
        GatewayConfig.builder()
            .settlement(GatewayConfig.Settlement.DEFERRED)
            .leaseWindow(Duration.ofSeconds(10))
            .build());
  }

  @AfterEach
  void close() {
    a.close();
    b.close();
  }

  @Test
  void anotherInstancesIdleLeaseIsRecalledForARequestThatNeedsItsHeadroom() {
    world.tier("small", "model-cheap", "0.05", "10");
    String key = world.userWithKey("u@example.com", "small");
    world.provider.usage(10, 5);
    // On instance a, a small request takes a lease of a tenth of the $0.05 day and leaves it idle.
    a.chat(a.authenticate(key), ChatRequest.of("model-cheap", "hi"));
    assertThat(a.openLeases()).isEqualTo(1);

    // On instance b, a request whose input alone ($0.0455) needs more than the day has outside
    // that lease, though nothing but $0.00000105 was spent.
    int cap = capGranted(b, b.authenticate(key), prompt(1_300_000));

    assertThat(cap).isEqualTo(5_000); // not clamped, not refused
    assertThat(a.openLeases()).isZero();
    assertWithinLimit(BudgetScope.user("u@example.com"), "0.05");
  }

  @Test
  void manyUsersIdleLeasesOnATeamCapDoNotRefuseAnotherInstancesRequest() {
    stores()
        .teams()
        .insert(
            Fixtures.team("capped")
                .models("model-cheap")
                .teamBudget(BudgetLimit.daily(Money.ofUsd("0.05")))
                .memberBudget(BudgetLimit.daily(Money.ofUsd("10")))
                .at(world.clock.instant())
                .build());
    world.provider.usage(10, 5);
    for (int i = 0; i < 8; i++) {
      String key = world.userWithKey("u" + i + "@example.com", "capped");
      a.chat(a.authenticate(key), ChatRequest.of("model-cheap", "hi"));
    }
    assertThat(a.openLeases()).as("users' leases on the team cap").isGreaterThanOrEqualTo(5);

    Principal other = b.authenticate(world.userWithKey("other@example.com", "capped"));
    world.provider.usage(1_100_000, 5_000); // $0.0392: the big request uses what it may
    int cap = capGranted(b, other, prompt(1_100_000));

    assertThat(cap).isEqualTo(5_000);
    assertWithinLimit(BudgetScope.team("capped"), "0.05");
    // A genuine refusal still comes: what is left of the cap cannot pay for this request's input.
    assertThatThrownBy(() -> b.chat(other, prompt(1_100_000)))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("team budget");
  }

  private int capGranted(Gateway g, Principal p, ChatRequest request) {
    AtomicInteger cap = new AtomicInteger();
    g.chat(p, request, Gateway.newRequestId(), grant -> cap.set(grant.outputCap()));
    return cap.get();
  }

  private static ChatRequest prompt(int bytes) {
    return ChatRequest.of("model-cheap", "a".repeat(bytes));
  }

  private void assertWithinLimit(BudgetScope scope, String limit) {
    a.flushSettlements(Duration.ofSeconds(5));
    b.flushSettlements(Duration.ofSeconds(5));
    CounterKey k =
        new CounterKey(
            scope,
            BudgetWindow.DAILY,
            BudgetWindow.DAILY.periodAt(world.clock.instant(), ZoneOffset.UTC).key());
    CounterBalance balance = stores().ledger().balances(List.of(k)).get(k);
    assertThat(balance.used()).isLessThanOrEqualTo(Money.ofUsd(limit));
  }

  private Stores stores() {
    return world.stores;
  }
}

package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.testing.TestWorld;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A large prompt that one token per byte would price out of the budget is admitted when the
 * provider counts its input exactly (Bedrock's CountTokens for Claude, issue 20), with one count
 * call and only then. A drafting member has $0.017 a day; model-cheap input is 35 nano-USD a token:
 * 600,000 bytes bound the input at about 600,000 tokens, $0.021, more than the day's budget, where
 * the model bills 50,000 tokens, $0.00175.
 */
class GatewayExactInputTest {
  private static final String LARGE = "ab ".repeat(200_000);

  private final TestWorld world = new TestWorld();
  private final AtomicInteger cap = new AtomicInteger();

  @Test
  void aLargePromptTheBytesWouldRefuseIsAdmittedOnItsExactCount() {
    world.provider.countsInputAs(50_000);
    Gateway gateway = world.gateway();
    Principal p = user(gateway);

    gateway.chat(p, ChatRequest.of("model-cheap", LARGE), "r1", g -> cap.set(g.outputCap()));

    assertThat(world.provider.received()).hasSize(1);
    assertThat(world.provider.countCalls()).isEqualTo(1);
    assertThat(cap.get()).as("the full output cap: the exact input leaves room").isEqualTo(5_000);
    assertThat(world.stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items())
        .hasSize(1);
  }

  @Test
  void withoutAnExactCountTheByteBoundStillRefusesIt() {
    Gateway gateway = world.gateway();
    Principal p = user(gateway);

    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-cheap", LARGE), "r1", g -> {}))
        .isInstanceOf(BudgetExceededException.class);
    assertThat(world.provider.received()).isEmpty();
  }

  @Test
  void anExactCountAboveTheBudgetIsStillRefused() {
    world.provider.countsInputAs(590_000);
    Gateway gateway = world.gateway();
    Principal p = user(gateway);

    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-cheap", LARGE), "r1", g -> {}))
        .isInstanceOf(BudgetExceededException.class);
    assertThat(world.provider.received()).isEmpty();
  }

  @Test
  void aBudgetWithNoRoomForAnyPromptIsRefusedWithoutCounting() {
    // 1,000 nano-USD a day: not even 64 input and 16 output tokens (4,480 nano-USD) fit.
    world.provider.countsInputAs(1);
    Gateway gateway = world.gateway();
    Principal p =
        gateway.authenticate(
            world.userWithKey(
                "b@example.com",
                "drafting",
                RateLimits.NONE,
                List.of(BudgetLimit.daily(Money.ofNanos(1_000)))));

    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-cheap", LARGE), "r1", g -> {}))
        .isInstanceOf(BudgetExceededException.class);
    assertThat(world.provider.countCalls()).isZero();
  }

  @Test
  void aPromptTheBudgetCoversIsNotCounted() {
    world.provider.countsInputAs(10);
    Gateway gateway = world.gateway();
    Principal p = user(gateway);

    gateway.chat(p, ChatRequest.of("model-cheap", "hello"), "r1", g -> cap.set(g.outputCap()));

    assertThat(world.provider.countCalls()).as("no extra call on the common path").isZero();
    assertThat(world.provider.received()).hasSize(1);
  }

  private Principal user(Gateway gateway) {
    return gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
  }
}

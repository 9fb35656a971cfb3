package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.chat.ChatResponse;
import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.error.ModelNotAllowedException;
import io.llmgateway.core.error.UnknownModelException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.core.testing.TestWorld;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class GatewayTest {
  private final TestWorld world = new TestWorld();
  private final Gateway gateway = world.gateway();

  @Test
  void chargesActualUsageAtExactNovaPricesAndWritesOneSpendRow() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    world.provider.usage(1000, 200);

    ChatResponse r = gateway.chat(p, ChatRequest.of("model-cheap", "Hello"));

    assertThat(r.text()).contains("Hello");
    List<SpendRecord> rows = spend();
    assertThat(rows).hasSize(1);
    // 1000 x 35 + 200 x 140 nano-USD
    assertThat(rows.getFirst().cost()).isEqualTo(Money.ofNanos(35_000 + 28_000));
    assertThat(rows.getFirst().status()).isEqualTo(SpendStatus.SUCCESS);
    assertThat(daily("a@example.com"))
        .isEqualTo(new CounterBalance(Money.ofNanos(63_000), Money.ZERO));
  }

  @Test
  void alwaysSendsAnOutputCapUpstream() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));

    gateway.chat(
        p,
        ChatRequest.builder("model-cheap")
            .messages(ChatRequest.of("model-cheap", "hi").messages())
            .maxTokens(50_000)
            .build());

    assertThat(world.provider.received().getFirst().maxOutputTokens()).isEqualTo(5_000);
  }

  @Test
  void aDraftingUserMayUseModelCheapButNotModelReasoning() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));

    assertThat(gateway.chat(p, ChatRequest.of("model-cheap", "hi"))).isNotNull();
    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-reasoning", "hi")))
        .isInstanceOf(ModelNotAllowedException.class)
        .hasMessageContaining("model-cheap");
    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-nope", "hi")))
        .isInstanceOf(UnknownModelException.class);
    assertThat(gateway.models(p)).extracting(m -> m.name()).containsExactly("model-cheap");
  }

  @Test
  void shrinksTheOutputCapNearTheEndOfTheBudgetAndNeverOvershoots() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    world.provider.usage(10, 5_000); // every answer uses all the output it is allowed

    BudgetExceededException refusal = null;
    int calls = 0;
    while (refusal == null && calls < 100) {
      try {
        gateway.chat(p, ChatRequest.of("model-cheap", "Write a long story"));
        calls++;
      } catch (BudgetExceededException e) {
        refusal = e;
      }
    }

    assertThat(refusal).isNotNull();
    assertThat(refusal.window()).isEqualTo(BudgetWindow.DAILY);
    assertThat(refusal.resetsAt()).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
    assertThat(refusal.getMessage()).contains("daily").contains("2026-11-28T00:00:00Z");
    var caps = world.provider.received().stream().map(r -> r.maxOutputTokens()).toList();
    assertThat(caps.getFirst()).isEqualTo(5_000);
    assertThat(caps.getLast()).isLessThan(5_000).isGreaterThanOrEqualTo(16);
    CounterBalance b = daily("a@example.com");
    assertThat(b.reserved()).isEqualTo(Money.ZERO);
    assertThat(b.committed()).isLessThanOrEqualTo(Money.ofUsd("0.017"));
  }

  @Test
  void aRefusalStatesWhatThisRequestMayCostAndWhatItIsMadeOfBesideWhatRemains() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    // 600,000 bytes of prompt: its input alone ($0.021 at 35 nano-USD a token) is more than the
    // drafting day's $0.017, of which nothing is spent yet.
    String prompt = "a".repeat(600_000);

    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-cheap", prompt)))
        .isInstanceOf(BudgetExceededException.class)
        .hasMessageContaining("this request may cost up to $0.021")
        .hasMessageContaining(" input tokens at most + 16 output tokens)")
        .hasMessageContaining("$0.017 of the daily user budget of $0.017 remains")
        .hasMessageContaining("it resets at 2026-11-28T00:00:00Z");
  }

  @Test
  void aUserWhoSpentTodaysBudgetIsRefusedWhileAnotherUserOfTheTierIsNot() {
    Principal spender = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    Principal other = gateway.authenticate(world.userWithKey("b@example.com", "drafting"));
    world.provider.usage(10, 5_000);
    exhaust(spender);

    assertThatThrownBy(() -> gateway.chat(spender, ChatRequest.of("model-cheap", "hi")))
        .isInstanceOf(BudgetExceededException.class);
    assertThat(gateway.chat(other, ChatRequest.of("model-cheap", "hi"))).isNotNull();
  }

  @Test
  void theMonthlyCapRefusesEvenWhenTheDailyBudgetHasRoom() {
    Principal p =
        gateway.authenticate(
            world.userWithKey(
                "a@example.com",
                "drafting",
                RateLimits.NONE,
                List.of(BudgetLimit.monthly(Money.ofUsd("0.002")))));
    world.provider.usage(10, 5_000);

    BudgetExceededException e = exhaust(p);

    assertThat(e.window()).isEqualTo(BudgetWindow.MONTHLY);
    assertThat(e.resetsAt()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(daily("a@example.com").committed()).isLessThan(Money.ofUsd("0.017"));
  }

  @Test
  void theNextDayTheDailyBudgetIsAvailableAgain() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    world.provider.usage(10, 5_000);
    exhaust(p);

    world.clock.advance(Duration.ofDays(1));

    assertThat(gateway.chat(p, ChatRequest.of("model-cheap", "hi"))).isNotNull();
  }

  @Test
  void aBlockedExpiredOrUnknownKeyIsRefusedAndTheMasterKeyIsAccepted() {
    world.userWithKey("a@example.com", "drafting");
    String blocked =
        world.keyFor("a@example.com", "drafting", RateLimits.NONE, true, Optional.empty());
    String expired =
        world.keyFor(
            "a@example.com",
            "drafting",
            RateLimits.NONE,
            false,
            Optional.of(world.clock.instant().minusSeconds(1)));
    Gateway g = world.gateway(GatewayConfig.builder().masterKey("sk-master-123").build());

    assertThatThrownBy(() -> g.authenticate(blocked))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("blocked");
    assertThatThrownBy(() -> g.authenticate(expired))
        .isInstanceOf(AuthenticationException.class)
        .hasMessageContaining("expired");
    assertThatThrownBy(() -> g.authenticate("sk-nope")).isInstanceOf(AuthenticationException.class);
    assertThatThrownBy(() -> g.authenticate(" ")).isInstanceOf(AuthenticationException.class);
    assertThat(g.authenticate("sk-master-123")).isEqualTo(Principal.MASTER);
  }

  @Test
  void anUnsettledReservationIsChargedInFullWhenItExpires() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    var stream = gateway.chatStream(p, ChatRequest.of("model-cheap", "hi"), "req-crashed");
    // The instance "dies": the stream is never read nor closed.
    Money reserved = daily("a@example.com").reserved();
    assertThat(reserved).isGreaterThan(Money.ZERO);

    world.clock.advance(Duration.ofMinutes(16));
    assertThat(gateway.sweep()).isEqualTo(1);

    assertThat(daily("a@example.com")).isEqualTo(new CounterBalance(reserved, Money.ZERO));
    assertThat(spend())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(SpendStatus.EXPIRED);
              assertThat(r.cost()).isEqualTo(reserved);
            });
    stream.close(); // a late close must not charge twice
    assertThat(daily("a@example.com").committed()).isEqualTo(reserved);
  }

  private BudgetExceededException exhaust(Principal p) {
    for (int i = 0; i < 1000; i++) {
      try {
        gateway.chat(p, ChatRequest.of("model-cheap", "spend"));
      } catch (BudgetExceededException e) {
        return e;
      }
    }
    throw new AssertionError("budget never ran out");
  }

  private CounterBalance daily(String userId) {
    CounterKey k =
        new CounterKey(
            BudgetScope.user(userId),
            BudgetWindow.DAILY,
            BudgetWindow.DAILY.periodAt(world.clock.instant(), java.time.ZoneOffset.UTC).key());
    return world.stores.ledger().balances(List.of(k)).get(k);
  }

  private List<SpendRecord> spend() {
    return world.stores.spendLog().query(SpendQuery.all(PageRequest.first(100))).items();
  }
}

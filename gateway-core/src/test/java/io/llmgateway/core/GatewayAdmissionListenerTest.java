package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.ratelimit.RateRemaining;
import io.llmgateway.core.ratelimit.RateStatus;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.core.testing.TestWorld;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class GatewayAdmissionListenerTest {
  private final TestWorld world = new TestWorld();
  private final Gateway gateway = world.gateway();

  /** Records each grant with how many upstream calls had been made when it arrived. */
  private final class Recorder implements AdmissionListener {
    final List<AdmissionGrant> grants = new ArrayList<>();
    final List<Integer> upstreamCallsBefore = new ArrayList<>();

    @Override
    public void admitted(AdmissionGrant grant) {
      grants.add(grant);
      upstreamCallsBefore.add(world.provider.received().size());
    }
  }

  private Principal keyWith(RateLimits limits) {
    world.userWithKey("a@example.com", "drafting");
    return gateway.authenticate(
        world.keyFor("a@example.com", "drafting", limits, false, Optional.empty()));
  }

  private static RateLimits limits(long rpm, long tpm) {
    return new RateLimits(OptionalLong.of(rpm), OptionalLong.of(tpm), OptionalLong.empty());
  }

  @Test
  void theListenerHearsTheOutputCapAndWhatTheRateLimitsLeftBeforeTheUpstreamCall() {
    Principal p = keyWith(limits(5, 100_000));
    Recorder listener = new Recorder();

    gateway.chat(p, ChatRequest.of("model-cheap", "hi"), "req-1", listener);
    gateway.chat(p, ChatRequest.of("model-cheap", "hi"), "req-2", listener);

    assertThat(listener.upstreamCallsBefore).containsExactly(0, 1);
    assertThat(listener.grants).extracting(AdmissionGrant::outputCap).containsExactly(5000, 5000);
    List<RateStatus> rates = listener.grants.stream().map(g -> g.rate().orElseThrow()).toList();
    assertThat(rates)
        .extracting(r -> r.requests().orElseThrow())
        .containsExactly(new RateRemaining(5, 4), new RateRemaining(5, 3));
    assertThat(rates)
        .extracting(RateStatus::windowEnd)
        .containsOnly(Instant.parse("2026-11-27T10:01:00Z"));
    // Each request counts its token estimate (input bound + the 5,000-token output cap); the
    // scripted provider reports tiny usage, so the second count starts from the first's actual.
    long first = rates.get(0).tokens().orElseThrow().remaining();
    assertThat(first).isLessThanOrEqualTo(100_000 - 5_000);
    assertThat(rates.get(1).tokens().orElseThrow().remaining()).isLessThan(first);
  }

  @Test
  void aStreamedRequestTellsTheListenerBeforeTheUpstreamCallStarts() {
    Principal p = keyWith(limits(5, 100_000));
    Recorder listener = new Recorder();

    try (ChatStream stream =
        gateway.chatStream(p, ChatRequest.of("model-cheap", "hi"), "req-s", listener)) {
      while (stream.next().isPresent()) {
        // drain
      }
    }

    assertThat(listener.upstreamCallsBefore).containsExactly(0);
    assertThat(listener.grants.getFirst().rate().orElseThrow().requests())
        .contains(new RateRemaining(5, 4));
  }

  @Test
  void aCallerWithoutRequestOrTokenLimitsHearsNoRateStatus() {
    Principal p =
        keyWith(new RateLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(3)));
    Recorder listener = new Recorder();

    gateway.chat(p, ChatRequest.of("model-cheap", "hi"), "req-1", listener);

    assertThat(listener.grants).singleElement().satisfies(g -> assertThat(g.rate()).isEmpty());
  }

  @Test
  void aRefusedRequestNeverReachesTheListener() {
    Principal p = keyWith(limits(1, 100_000));
    Recorder listener = new Recorder();
    gateway.chat(p, ChatRequest.of("model-cheap", "hi"), "req-1", listener);

    assertThatThrownBy(
            () -> gateway.chat(p, ChatRequest.of("model-cheap", "hi"), "req-2", listener))
        .isInstanceOf(RateLimitedException.class);

    assertThat(listener.grants).hasSize(1);
  }

  @Test
  void aListenerThatThrowsChargesNothingAndGivesBackTheParallelSlot() {
    Principal p =
        keyWith(new RateLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(1)));
    AdmissionListener failing =
        grant -> {
          throw new IllegalStateException("client went away");
        };

    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-cheap", "hi"), "req-1", failing))
        .isInstanceOf(IllegalStateException.class);

    assertThat(world.provider.received()).isEmpty();
    assertThat(daily().reserved()).isEqualTo(Money.ZERO);
    assertThat(daily().committed()).isEqualTo(Money.ZERO);
    assertThat(spend())
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.status()).isEqualTo(SpendStatus.ERROR);
              assertThat(r.cost()).isEqualTo(Money.ZERO);
            });
    // The slot came back: with max one in flight, the next request is admitted.
    gateway.chat(p, ChatRequest.of("model-cheap", "hi"), "req-2", AdmissionListener.NONE);
  }

  private CounterBalance daily() {
    CounterKey k =
        new CounterKey(
            BudgetScope.user("a@example.com"),
            BudgetWindow.DAILY,
            BudgetWindow.DAILY.periodAt(world.clock.instant(), ZoneOffset.UTC).key());
    return world.stores.ledger().balances(List.of(k)).getOrDefault(k, CounterBalance.EMPTY);
  }

  private List<SpendRecord> spend() {
    return world.stores.spendLog().query(SpendQuery.all(PageRequest.first(100))).items();
  }
}

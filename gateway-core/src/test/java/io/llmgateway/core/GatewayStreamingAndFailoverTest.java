package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.chat.ChatChunk;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.core.testing.TestWorld;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class GatewayStreamingAndFailoverTest {
  private final TestWorld world = new TestWorld();
  private final Gateway gateway = world.gateway();

  @Test
  void aCompletedStreamIsChargedItsReportedUsage() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    world.provider.usage(100, 2);

    List<ChatChunk> chunks = new ArrayList<>();
    try (ChatStream s = gateway.chatStream(p, ChatRequest.of("model-cheap", "hi"), "r1")) {
      for (Optional<ChatChunk> c = s.next(); c.isPresent(); c = s.next()) {
        chunks.add(c.get());
      }
    }

    assertThat(chunks).hasSize(4).last().isInstanceOf(ChatChunk.Usage.class);
    SpendRecord row = onlySpendRow();
    assertThat(row.status()).isEqualTo(SpendStatus.SUCCESS);
    assertThat(row.cost()).isEqualTo(Money.ofNanos(100 * 35 + 2 * 140));
  }

  @Test
  void anUpstreamFailureMidStreamIsSettledOnceAndSurfaced() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    world.provider.streamFailsAfterPieces(
        new ProviderUnavailableException(
            ProviderUnavailableException.Kind.BAD_RESPONSE,
            Billing.MAYBE_BILLED,
            false,
            "stream ended without messageStop"));

    ChatStream s = gateway.chatStream(p, ChatRequest.of("model-cheap", "hello"), "r1");
    s.next();
    s.next();
    assertThatThrownBy(s::next).isInstanceOf(ProviderUnavailableException.class);
    s.close();

    SpendRecord row = onlySpendRow();
    assertThat(row.status()).isEqualTo(SpendStatus.ERROR);
    assertThat(row.errorCode()).contains("provider_bad_response");
    assertThat(row.cost()).isGreaterThan(Money.ZERO);
  }

  @Test
  void aRetryableFailureBeforeTheFirstByteFailsOverToTheNextDeployment() {
    world.deployment("model-cheap", "nova-micro-backup", "0.035", "0.14");
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    world.provider.failNext(
        new ProviderUnavailableException(
            ProviderUnavailableException.Kind.THROTTLED, Billing.NOT_BILLED, true, "throttled"));

    assertThat(gateway.chat(p, ChatRequest.of("model-cheap", "hi")).text()).contains("Hello");

    assertThat(world.provider.received())
        .extracting(r -> r.deployment().id())
        .containsExactly("nova-micro", "nova-micro-backup");
    assertThat(onlySpendRow().deploymentId()).contains("nova-micro-backup");
  }

  @Test
  void aRejectedRequestIsNotRetriedAndCostsNothing() {
    Principal p = gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
    world.provider.failNext(new ProviderRejectedException(400, "bad tool schema"));

    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-cheap", "hi")))
        .isInstanceOf(ProviderRejectedException.class);

    assertThat(world.provider.received()).hasSize(1);
    assertThat(onlySpendRow().cost()).isEqualTo(Money.ZERO);
    assertThat(onlySpendRow().status()).isEqualTo(SpendStatus.ERROR);
  }

  @Test
  void aKeyOverItsRequestsPerMinuteIsRateLimitedWithARetryHint() {
    String key =
        world.userWithKey(
            "a@example.com",
            "drafting",
            new RateLimits(OptionalLong.of(2), OptionalLong.empty(), OptionalLong.empty()),
            List.of());
    Principal p = gateway.authenticate(key);

    gateway.chat(p, ChatRequest.of("model-cheap", "1"));
    gateway.chat(p, ChatRequest.of("model-cheap", "2"));

    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-cheap", "3")))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> {
              assertThat(e.limit()).isEqualTo(RateLimitedException.Limit.REQUESTS_PER_MINUTE);
              assertThat(e.retryAfter()).isPositive();
            });
    // A refused request holds no money.
    assertThat(spend()).hasSize(2);
  }

  private SpendRecord onlySpendRow() {
    List<SpendRecord> rows = spend();
    assertThat(rows).hasSize(1);
    return rows.getFirst();
  }

  private List<SpendRecord> spend() {
    return world.stores.spendLog().query(SpendQuery.all(PageRequest.first(100))).items();
  }
}

package io.llmgateway.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.ProviderUnavailableException.Kind;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.provider.ChatStream;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.core.testing.TestWorld;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a request is charged when its upstream call fails, is cut or is cancelled, through the
 * public {@link Gateway}: the guarantee is never to charge less than the provider may have billed.
 * Prices are model-cheap's: 35 nano-USD per input token, 140 per output token.
 */
class GatewayChargingTest {
  private static final String PROMPT = "hello";
  // 64 per request + 16 per message + 5 bytes of "hello"
  private static final long INPUT_BOUND = 64 + 16 + 5;

  private final TestWorld world = new TestWorld();
  private final AtomicInteger cap = new AtomicInteger();

  @Test
  void aTimeoutMayHaveBeenBilledSoItIsNotRetriedAndIsChargedTheWorstCase() {
    world.deployment("model-cheap", "nova-micro-backup", "0.035", "0.14");
    Gateway gateway = world.gateway();
    Principal p = user(gateway);
    world.provider.failNext(maybeBilled(Kind.TIMEOUT, "Bedrock did not answer in time"));

    assertThatThrownBy(
            () ->
                gateway.chat(
                    p, ChatRequest.of("model-cheap", PROMPT), "r1", g -> cap.set(g.outputCap())))
        .isInstanceOf(ProviderUnavailableException.class);

    assertThat(world.provider.received()).as("one attempt: the reservation covers one").hasSize(1);
    SpendRecord row = onlySpendRow();
    assertThat(row.status()).isEqualTo(SpendStatus.ERROR);
    assertThat(row.cost()).isEqualTo(worstCase());
  }

  @Test
  void anUnreadableAnswerMayHaveBeenBilledSoItIsNotRetriedAndIsChargedTheWorstCase() {
    world.deployment("model-cheap", "nova-micro-backup", "0.035", "0.14");
    Gateway gateway = world.gateway();
    Principal p = user(gateway);
    world.provider.failNext(maybeBilled(Kind.BAD_RESPONSE, "half a 200 body, then a reset"));

    assertThatThrownBy(
            () ->
                gateway.chatStream(
                    p, ChatRequest.of("model-cheap", PROMPT), "r1", g -> cap.set(g.outputCap())))
        .isInstanceOf(ProviderUnavailableException.class);

    assertThat(world.provider.received()).hasSize(1);
    assertThat(onlySpendRow().cost()).isEqualTo(worstCase());
  }

  @Test
  void anInterruptedBlockingCallIsChargedItsWorstCaseNotZero() {
    Gateway gateway = world.gateway();
    Principal p = user(gateway);
    world.provider.failNext(notRetryableMaybeBilled("the Bedrock call was interrupted"));

    assertThatThrownBy(
            () ->
                gateway.chat(
                    p, ChatRequest.of("model-cheap", PROMPT), "r1", g -> cap.set(g.outputCap())))
        .isInstanceOf(ProviderUnavailableException.class);

    assertThat(onlySpendRow().cost()).isEqualTo(worstCase());
  }

  @Test
  void aThrottledAttemptFailsOverAndTheFailedAttemptCostsNothing() {
    world.deployment("model-cheap", "nova-micro-backup", "0.035", "0.14");
    Gateway gateway = world.gateway();
    Principal p = user(gateway);
    world.provider.usage(10, 5).failNext(notBilled(Kind.THROTTLED, "throttled"));

    gateway.chat(p, ChatRequest.of("model-cheap", PROMPT));

    assertThat(world.provider.received()).hasSize(2);
    SpendRecord row = onlySpendRow();
    assertThat(row.deploymentId()).contains("nova-micro-backup");
    assertThat(row.cost())
        .as("the answer's usage only")
        .isEqualTo(Money.ofNanos(10 * 35 + 5 * 140));
  }

  @Test
  void attemptsThatAllFailUnbilledCostNothing() {
    world.deployment("model-cheap", "nova-micro-backup", "0.035", "0.14");
    Gateway gateway = world.gateway();
    Principal p = user(gateway);
    world
        .provider
        .failNext(notBilled(Kind.THROTTLED, "throttled"))
        .failNext(notBilled(Kind.UNAVAILABLE, "HTTP 503 before any body"));

    assertThatThrownBy(() -> gateway.chat(p, ChatRequest.of("model-cheap", PROMPT)))
        .isInstanceOf(ProviderUnavailableException.class);

    assertThat(world.provider.received()).hasSize(2);
    assertThat(onlySpendRow().cost()).isEqualTo(Money.ZERO);
  }

  @Test
  void aStreamCutByTheClientIsDrainedAndChargedTheUsageReportedAtItsEnd() {
    Gateway gateway =
        world.gateway(GatewayConfig.defaults().withCancelDrain(Duration.ofSeconds(2)));
    Principal p = user(gateway);
    world.provider.usage(1_000, 300).streamPieces(List.of("abc", "def", "ghi"));

    ChatStream s = gateway.chatStream(p, ChatRequest.of("model-cheap", PROMPT), "r1");
    s.next(); // "abc" reached the client, then the client went away
    s.close();

    assertThat(world.provider.streams().getFirst().cancelled()).isTrue();
    SpendRecord row = onlySpendRow();
    assertThat(row.status()).isEqualTo(SpendStatus.CANCELLED);
    assertThat(row.cost()).isEqualTo(Money.ofNanos(1_000 * 35 + 300 * 140));
  }

  @Test
  void aStreamCutByTheClientWhoseUsageNeverArrivesIsChargedTheWorstCaseWithinTheDrainBound() {
    Gateway gateway =
        world.gateway(GatewayConfig.defaults().withCancelDrain(Duration.ofMillis(300)));
    Principal p = user(gateway);
    world.provider.streamPieces(List.of("abc", "def")).streamStallsAfterPieces();

    ChatStream s =
        gateway.chatStream(
            p, ChatRequest.of("model-cheap", PROMPT), "r1", g -> cap.set(g.outputCap()));
    s.next();
    long t0 = System.nanoTime();
    s.close();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);

    assertThat(took).as("the drain is bounded").isLessThan(Duration.ofSeconds(3));
    assertThat(world.provider.streams().getFirst().cancelled()).isTrue();
    SpendRecord row = onlySpendRow();
    assertThat(row.status()).isEqualTo(SpendStatus.CANCELLED);
    assertThat(row.cost()).isEqualTo(worstCase());
  }

  @Test
  void aStreamBrokenUpstreamWithoutUsageIsChargedTheWorstCase() {
    Gateway gateway = world.gateway();
    Principal p = user(gateway);
    world
        .provider
        .streamPieces(List.of("abc"))
        .streamFailsAfterPieces(maybeBilled(Kind.BAD_RESPONSE, "connection reset mid-stream"));

    ChatStream s =
        gateway.chatStream(
            p, ChatRequest.of("model-cheap", PROMPT), "r1", g -> cap.set(g.outputCap()));
    s.next();
    assertThatThrownBy(s::next).isInstanceOf(ProviderUnavailableException.class);
    s.close();

    SpendRecord row = onlySpendRow();
    assertThat(row.status()).isEqualTo(SpendStatus.ERROR);
    assertThat(row.cost()).isEqualTo(worstCase());
  }

  @Test
  void aGatewayWhoseRequestsCouldOutliveTheirReservationsRefusesToStart() {
    world.provider.maxCallDuration(Duration.ofMinutes(10));

    // 2 attempts x 10 min + 5 s of drain > 15 min: the sweeper could charge a running request.
    assertThatThrownBy(world::gateway)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reservationTtl (PT15M)")
        .hasMessageContaining("maxAttempts (2)")
        .hasMessageContaining("call timeout (PT10M)")
        .hasMessageContaining("cancelDrain (PT5S)");
    assertThatThrownBy(
            () ->
                world.gateway(
                    GatewayConfig.defaults().withReservationTtl(Duration.ofSeconds(1205))))
        .as("equal is not enough")
        .isInstanceOf(IllegalArgumentException.class);

    world.gateway(GatewayConfig.defaults().withReservationTtl(Duration.ofMinutes(21))).close();
    world.gateway(GatewayConfig.defaults().withMaxAttempts(1)).close();
  }

  private Money worstCase() {
    assertThat(cap.get()).as("admitted").isPositive();
    return Money.ofNanos(INPUT_BOUND * 35 + cap.get() * 140L);
  }

  private Principal user(Gateway gateway) {
    return gateway.authenticate(world.userWithKey("a@example.com", "drafting"));
  }

  private static ProviderUnavailableException maybeBilled(Kind kind, String message) {
    // Retryable as far as availability goes: only the billing mark stops the failover.
    return new ProviderUnavailableException(kind, Billing.MAYBE_BILLED, true, message);
  }

  private static ProviderUnavailableException notRetryableMaybeBilled(String message) {
    return new ProviderUnavailableException(Kind.UNAVAILABLE, Billing.MAYBE_BILLED, false, message);
  }

  private static ProviderUnavailableException notBilled(Kind kind, String message) {
    return new ProviderUnavailableException(kind, Billing.NOT_BILLED, true, message);
  }

  private SpendRecord onlySpendRow() {
    List<SpendRecord> rows =
        world.stores.spendLog().query(SpendQuery.all(PageRequest.first(100))).items();
    assertThat(rows).hasSize(1);
    return rows.getFirst();
  }
}

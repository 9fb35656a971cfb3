package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.support.GatewayStack;
import io.llmgateway.server.support.TestConfigs;
import java.time.Duration;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The sweeper deletes the records of reservations that ended more than a day ago, so the
 * reservation tables hold the recent past rather than every request ever made; spend rows and
 * counters stay.
 */
class ReservationPurgeTest {

  @Test
  void endedReservationsAreDeletedAfterTheRetentionAndSpendStays() {
    // Leases off: the rows purged here are per-request reservations (a lease is one row for many).
    try (GatewayStack stack =
        GatewayStack.start(
            TestConfigs.leasesOff(ServerConfig.forTests()),
            java.util.function.UnaryOperator.identity())) {
      Jdbi jdbi = Jdbi.create(stack.adapters.dataSource());
      var client = stack.client(stack.userKey("drafting"));
      for (int i = 0; i < 3; i++) {
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("model-cheap")
                    .addUserMessage("Hello!")
                    .build());
      }
      stack.server.services().gateway().flushSettlements(Duration.ofSeconds(10));
      assertThat(count(jdbi, "SELECT count(*) FROM reservations WHERE state <> 'held'"))
          .isEqualTo(3);
      assertThat(count(jdbi, "SELECT count(*) FROM reservation_lines")).isGreaterThanOrEqualTo(3);

      stack.clock.advance(io.llmgateway.core.internal.Sweeper.RETENTION.minusMinutes(1));
      stack.server.sweep();
      assertThat(count(jdbi, "SELECT count(*) FROM reservations"))
          .as("within retention")
          .isEqualTo(3);

      stack.clock.advance(io.llmgateway.core.internal.Sweeper.PURGE_EVERY.plusMinutes(2));
      stack.server.sweep();
      assertThat(count(jdbi, "SELECT count(*) FROM reservations")).isZero();
      assertThat(count(jdbi, "SELECT count(*) FROM reservation_lines")).isZero();
      assertThat(count(jdbi, "SELECT count(*) FROM spend_log")).isEqualTo(3);
    }
  }

  private static long count(Jdbi jdbi, String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
  }
}

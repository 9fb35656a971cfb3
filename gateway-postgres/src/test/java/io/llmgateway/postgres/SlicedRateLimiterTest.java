package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.ratelimit.RateLimiter;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.ratelimit.RateScope;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.OptionalLong;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * What the sliced limiter does beyond the port's contract: requests are counted in memory against
 * slices, so a rate-limited request rarely makes a statement; an idle instance gives back the
 * parallel slots it leased, so another instance can use them; its statements skip the WAL flush.
 */
class SlicedRateLimiterTest extends PostgresTestBase {

  private static RateScope scope(String name, Long rpm, Long parallel) {
    return new RateScope(
        name,
        new RateLimits(
            rpm == null ? OptionalLong.empty() : OptionalLong.of(rpm),
            OptionalLong.empty(),
            parallel == null ? OptionalLong.empty() : OptionalLong.of(parallel)));
  }

  private static RatePermit acquire(RateLimiter limiter, RateScope s, Instant now) {
    return limiter.acquire(id("permit"), List.of(s), 1, now, now.plusSeconds(30));
  }

  @Test
  void aThousandRequestsAtRpm64000TakeOneSliceOfAThousand() {
    RateScope s = scope(id("key"), 64_000L, null);
    Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(1);
    acquire(stores.rateLimiter(), s, now);
    assertThat(handedOut(s, now)).as("first slice: 1/64 of the limit").isEqualTo(1_000);

    for (int i = 1; i < 1_000; i++) {
      acquire(stores.rateLimiter(), s, now);
    }

    assertThat(handedOut(s, now))
        .as("no further statement for the slice's requests")
        .isEqualTo(1_000);
    RatePermit next = acquire(stores.rateLimiter(), s, now);
    assertThat(handedOut(s, now)).as("the next slice doubles").isEqualTo(3_000);
    assertThat(next.status().requests().orElseThrow().remaining()).isEqualTo(64_000 - 1_001);
  }

  @Test
  void anIdleInstanceGivesBackItsParallelSlotsToAnother() throws Exception {
    RateScope s = scope(id("key"), null, 2L);
    try (PostgresAdapters other = PostgresAdapters.start(config)) {
      RateLimiter a = stores.rateLimiter();
      RateLimiter b = other.stores().rateLimiter();
      RatePermit first = acquire(a, s, Instant.now());
      RatePermit second = acquire(a, s, Instant.now());
      assertThatThrownBy(() -> acquire(b, s, Instant.now()))
          .isInstanceOfSatisfying(
              RateLimitedException.class,
              e -> assertThat(e.limit()).isEqualTo(RateLimitedException.Limit.PARALLEL_REQUESTS));
      a.release(first, 1);
      a.release(second, 1);

      // A gives its unused slots back within two give-back periods; B then gets both.
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      RatePermit onB = null;
      while (onB == null) {
        try {
          onB = acquire(b, s, Instant.now());
        } catch (RateLimitedException e) {
          assertThat(System.nanoTime()).as("B admitted within 5 s").isLessThan(deadline);
          Thread.sleep(50);
        }
      }
      acquire(b, s, Instant.now());
      assertThatThrownBy(() -> acquire(a, s, Instant.now()))
          .as("the limit still holds: B holds both slots")
          .isInstanceOf(RateLimitedException.class);
    }
  }

  @Test
  void sliceAndLeaseStatementsCommitWithoutWaitingForTheWalFlush() throws Exception {
    assertThat(
            synchronousCommitDuringAndAfter(
                "SELECT * FROM rate_take_slice('"
                    + id("key")
                    + "', date_trunc('minute', now()), 10, 1, 2, NULL, 0, 0)"))
        .containsExactly("off", "on");
    assertThat(
            synchronousCommitDuringAndAfter(
                "SELECT rate_hold_slots('"
                    + id("key")
                    + "', 'gw-test', 3, 1, 2, now(), now() + interval '1 minute')"))
        .containsExactly("off", "on");
  }

  private long handedOut(RateScope s, Instant now) {
    return Jdbi.create(adapters.dataSource())
        .withHandle(
            h ->
                h.createQuery("SELECT requests FROM rate_windows WHERE scope = :s AND minute = :m")
                    .bind("s", s.scope())
                    .bind("m", now.truncatedTo(ChronoUnit.MINUTES))
                    .mapTo(Long.class)
                    .one());
  }
}

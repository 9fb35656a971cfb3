package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.ratelimit.RateScope;
import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class PostgresRateLimiterTest extends PostgresTestBase {
  private static final Instant T = Instant.parse("2026-11-27T10:15:10Z");

  private static RateScope scope(String name, Long rpm, Long tpm, Long parallel) {
    return new RateScope(
        name,
        new RateLimits(
            rpm == null ? OptionalLong.empty() : OptionalLong.of(rpm),
            tpm == null ? OptionalLong.empty() : OptionalLong.of(tpm),
            parallel == null ? OptionalLong.empty() : OptionalLong.of(parallel)));
  }

  private RatePermit acquire(List<RateScope> scopes, long tokens, Instant now) {
    return stores.rateLimiter().acquire(id("permit"), scopes, tokens, now, now.plusSeconds(300));
  }

  @Test
  void refusesTheRequestPastTheRpmLimitUntilTheNextMinute() {
    RateScope s = scope(id("key"), 3L, null, null);
    for (int i = 0; i < 3; i++) {
      acquire(List.of(s), 10, T);
    }
    assertThatThrownBy(() -> acquire(List.of(s), 10, T.plusSeconds(40)))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> {
              assertThat(e.limit()).isEqualTo(RateLimitedException.Limit.REQUESTS_PER_MINUTE);
              assertThat(e.retryAfter().toSeconds()).isEqualTo(10);
            });
    acquire(List.of(s), 10, T.plusSeconds(50)); // next minute: 10:16:00
  }

  @Test
  void tokensPerMinuteCountTheEstimateThenTheActual() {
    RateScope s = scope(id("key"), null, 1000L, null);
    RatePermit p = acquire(List.of(s), 800, T);
    assertThatThrownBy(() -> acquire(List.of(s), 300, T))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> assertThat(e.limit()).isEqualTo(RateLimitedException.Limit.TOKENS_PER_MINUTE));
    stores.rateLimiter().release(p, 100); // the request used far less than estimated
    acquire(List.of(s), 300, T);
    stores.rateLimiter().release(p, 100); // idempotent: no second adjustment
    acquire(List.of(s), 600, T);
    assertThatThrownBy(() -> acquire(List.of(s), 1, T)).isInstanceOf(RateLimitedException.class);
  }

  @Test
  void parallelSlotsAreHeldUntilReleasedOrLapsed() {
    RateScope s = scope(id("key"), null, null, 2L);
    RatePermit a = acquire(List.of(s), 0, T);
    RatePermit b = stores.rateLimiter().acquire(id("permit"), List.of(s), 0, T, T.plusSeconds(5));
    assertThatThrownBy(() -> acquire(List.of(s), 0, T))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e -> assertThat(e.limit()).isEqualTo(RateLimitedException.Limit.PARALLEL_REQUESTS));
    stores.rateLimiter().release(a, 0);
    acquire(List.of(s), 0, T);
    assertThatThrownBy(() -> acquire(List.of(s), 0, T)).isInstanceOf(RateLimitedException.class);
    // b's holder "died": its slot lapses at its expiry
    acquire(List.of(s), 0, T.plusSeconds(6));
    assertThat(b.scopes()).hasSize(1);
  }

  @Test
  void aRefusalOnOneScopeCountsNothingOnTheOthers() {
    RateScope roomy = scope(id("team"), 100L, null, null);
    RateScope tight = scope(id("key"), 1L, null, null);
    acquire(List.of(tight), 0, T);
    assertThatThrownBy(() -> acquire(List.of(roomy, tight), 0, T))
        .isInstanceOf(RateLimitedException.class)
        .hasMessageContaining(tight.scope());
    RateScope roomyOnlyOne = scope(roomy.scope(), 1L, null, null);
    acquire(List.of(roomyOnlyOne), 0, T); // roomy's minute still counts zero
  }

  @Test
  void scopesWithoutLimitsNeedNoDatabase() {
    RatePermit p = acquire(List.of(new RateScope("free", RateLimits.NONE)), 10, T);
    assertThat(p.scopes()).isEmpty();
    stores.rateLimiter().release(p, 5);
  }

  @Test
  void concurrentAdmissionsNeverExceedTheRpmLimit() throws Exception {
    RateScope s = scope(id("key"), 25L, null, 1000L);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> fs = new java.util.ArrayList<>();
      for (int i = 0; i < 80; i++) {
        fs.add(
            pool.submit(
                () -> {
                  try {
                    acquire(List.of(s), 1, T);
                    return true;
                  } catch (RateLimitedException e) {
                    return false;
                  }
                }));
      }
      int admitted = 0;
      for (Future<Boolean> f : fs) {
        admitted += f.get() ? 1 : 0;
      }
      assertThat(admitted).isEqualTo(25);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void rateBookkeepingCommitsWithoutWaitingForTheWalFlushButOnlyItsOwnTransaction()
      throws Exception {
    assertThat(
            synchronousCommitDuringAndAfter(
                "SELECT * FROM rate_acquire_nosync('"
                    + id("permit")
                    + "', now(), 1, now(), now() + interval '1 minute', ARRAY['key:"
                    + id("k")
                    + "'], ARRAY[10]::bigint[], ARRAY[NULL]::bigint[], ARRAY[NULL]::bigint[])"))
        .containsExactly("off", "on");
    assertThat(
            synchronousCommitDuringAndAfter(
                "SELECT rate_release_nosync('no-such-permit', 0, ARRAY[]::text[])"))
        .containsExactly("off", "on");
  }
}

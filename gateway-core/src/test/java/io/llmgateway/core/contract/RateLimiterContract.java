package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.Stores;
import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.ratelimit.RateLimiter;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.ratelimit.RateRemaining;
import io.llmgateway.core.ratelimit.RateScope;
import io.llmgateway.core.testing.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link RateLimiter} must do. Subclass it with a factory for fresh, empty stores. */
public abstract class RateLimiterContract {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  protected RateLimiter limiter;
  private int permits;

  /** 10:00:00 UTC plus a few seconds, so a whole minute lies ahead. */
  protected static final Instant NOW = T0.plusSeconds(5);

  protected static final Instant LATER = NOW.plus(Duration.ofMinutes(10));

  @BeforeEach
  void setUpStores() {
    limiter = newStores().rateLimiter();
  }

  protected static RateScope rpm(String scope, long rpm) {
    return new RateScope(
        scope, new RateLimits(OptionalLong.of(rpm), OptionalLong.empty(), OptionalLong.empty()));
  }

  protected static RateScope tpm(String scope, long tpm) {
    return new RateScope(
        scope, new RateLimits(OptionalLong.empty(), OptionalLong.of(tpm), OptionalLong.empty()));
  }

  protected static RateScope parallel(String scope, long max) {
    return new RateScope(
        scope, new RateLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(max)));
  }

  protected RatePermit acquire(List<RateScope> scopes, long tokens, Instant now) {
    return limiter.acquire("p" + (++permits), scopes, tokens, now, now.plusSeconds(60));
  }

  private static void assertRefused(ThrowingCallable call, RateLimitedException.Limit limit) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(
            RateLimitedException.class, e -> assertThat(e.limit()).isEqualTo(limit));
  }

  @Test
  void admitsUpToTheRequestsPerMinuteThenRefusesWithinTheSameMinute() {
    var scopes = List.of(rpm("key:k1", 3));
    for (int i = 0; i < 3; i++) {
      acquire(scopes, 0, NOW.plusSeconds(i));
    }

    assertRefused(
        () -> acquire(scopes, 0, NOW.plusSeconds(50)),
        RateLimitedException.Limit.REQUESTS_PER_MINUTE);
  }

  @Test
  void aRefusalSaysToRetryNoLaterThanTheNextMinute() {
    var scopes = List.of(rpm("key:k1", 1));
    acquire(scopes, 0, NOW);

    assertThatThrownBy(() -> acquire(scopes, 0, T0.plusSeconds(45)))
        .isInstanceOfSatisfying(
            RateLimitedException.class,
            e ->
                assertThat(e.retryAfter())
                    .isBetween(Duration.ofSeconds(1), Duration.ofSeconds(15)));
  }

  @Test
  void theNextUtcMinuteStartsANewRequestCount() {
    var scopes = List.of(rpm("key:k1", 1));
    acquire(scopes, 0, T0.plusSeconds(59));

    acquire(scopes, 0, T0.plusSeconds(60));

    assertRefused(
        () -> acquire(scopes, 0, T0.plusSeconds(61)),
        RateLimitedException.Limit.REQUESTS_PER_MINUTE);
  }

  @Test
  void scopesAreCountedSeparately() {
    acquire(List.of(rpm("key:k1", 1)), 0, NOW);

    acquire(List.of(rpm("key:k2", 1)), 0, NOW);
  }

  @Test
  void tokensPerMinuteCountsTheEstimateAndRefusesWhatWouldExceedIt() {
    var scopes = List.of(tpm("team:t1", 1000));
    acquire(scopes, 600, NOW);
    acquire(scopes, 400, NOW);

    assertRefused(() -> acquire(scopes, 1, NOW), RateLimitedException.Limit.TOKENS_PER_MINUTE);
  }

  @Test
  void releaseReplacesTheEstimateWithTheActualTokens() {
    var scopes = List.of(tpm("team:t1", 1000));
    RatePermit p = acquire(scopes, 800, NOW);
    assertRefused(() -> acquire(scopes, 300, NOW), RateLimitedException.Limit.TOKENS_PER_MINUTE);

    limiter.release(p, 100);

    acquire(scopes, 900, NOW.plusSeconds(1));
    assertRefused(() -> acquire(scopes, 1, NOW), RateLimitedException.Limit.TOKENS_PER_MINUTE);
  }

  @Test
  void releasingTwiceCountsTheActualTokensOnce() {
    var scopes = List.of(tpm("team:t1", 1000));
    RatePermit p = acquire(scopes, 500, NOW);

    limiter.release(p, 100);
    limiter.release(p, 100);

    acquire(scopes, 900, NOW);
    assertRefused(() -> acquire(scopes, 1, NOW), RateLimitedException.Limit.TOKENS_PER_MINUTE);
  }

  @Test
  void aParallelSlotIsHeldUntilReleased() {
    var scopes = List.of(parallel("key:k1", 2));
    RatePermit first = acquire(scopes, 0, NOW);
    acquire(scopes, 0, NOW);
    assertRefused(() -> acquire(scopes, 0, NOW), RateLimitedException.Limit.PARALLEL_REQUESTS);

    limiter.release(first, 0);

    acquire(scopes, 0, NOW);
  }

  @Test
  void releasingTwiceFreesOnlyOneSlot() {
    var scopes = List.of(parallel("key:k1", 2));
    RatePermit first = acquire(scopes, 0, NOW);
    acquire(scopes, 0, NOW);

    limiter.release(first, 0);
    limiter.release(first, 0);
    acquire(scopes, 0, NOW);

    assertRefused(() -> acquire(scopes, 0, NOW), RateLimitedException.Limit.PARALLEL_REQUESTS);
  }

  @Test
  void aParallelSlotLapsesAtItsExpiryWhenItsHolderNeverReleases() {
    var scopes = List.of(parallel("key:k1", 1));
    limiter.acquire("dead", scopes, 0, NOW, NOW.plusSeconds(30));
    assertRefused(
        () -> limiter.acquire("p2", scopes, 0, NOW.plusSeconds(29), LATER),
        RateLimitedException.Limit.PARALLEL_REQUESTS);

    limiter.acquire("p3", scopes, 0, NOW.plusSeconds(30), LATER);
  }

  @Test
  void aRefusalByOneScopeCountsNothingInTheOthers() {
    var open = rpm("key:k1", 2);
    var full = rpm("team:t1", 1);
    acquire(List.of(full), 0, NOW);

    assertRefused(
        () -> acquire(List.of(open, full), 0, NOW), RateLimitedException.Limit.REQUESTS_PER_MINUTE);

    acquire(List.of(open), 0, NOW);
    acquire(List.of(open), 0, NOW);
  }

  @Test
  void aScopeWithoutLimitsAdmitsEverything() {
    var scopes = List.of(new RateScope("key:free", RateLimits.NONE));
    for (int i = 0; i < 100; i++) {
      acquire(scopes, 1_000_000, NOW);
    }
  }

  @Test
  void thePermitReportsTheRequestsLeftThisMinuteAfterCountingThisRequest() {
    var scopes = List.of(rpm("key:k1", 3));

    List<Long> left = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      left.add(
          acquire(scopes, 0, NOW.plusSeconds(i)).status().requests().orElseThrow().remaining());
    }

    assertThat(left).containsExactly(2L, 1L, 0L);
  }

  @Test
  void remainingRequestsAreTheMinimumOverTheScopesWithAnRpmLimitWhicheverComesFirst() {
    acquire(List.of(rpm("team:t1", 4)), 0, NOW);
    acquire(List.of(rpm("team:t1", 4)), 0, NOW);

    // Scopes are counted in name order: the tighter one comes last here, first below.
    RatePermit tightLast =
        acquire(List.of(rpm("key:k1", 10), rpm("team:t1", 4), tpm("user:u1", 1000)), 0, NOW);
    RatePermit tightFirst = acquire(List.of(rpm("key:k2", 2), rpm("team:t2", 10)), 0, NOW);

    // key:k1 has 10 - 1 = 9 left, team:t1 4 - 3 = 1; key:k2 2 - 1 = 1, team:t2 10 - 1 = 9. The
    // tighter scope's limit goes with its remaining count.
    assertThat(tightLast.status().requests()).contains(new RateRemaining(4, 1));
    assertThat(tightFirst.status().requests()).contains(new RateRemaining(2, 1));
  }

  @Test
  void remainingTokensCountThisRequestsEstimateInEveryScopeWithATpmLimit() {
    acquire(List.of(tpm("key:k1", 5000)), 4500, NOW);
    acquire(List.of(tpm("team:t2", 5000)), 4500, NOW);

    RatePermit tightFirst =
        acquire(List.of(tpm("key:k1", 5000), tpm("team:t1", 1000), rpm("user:u1", 10)), 300, NOW);
    RatePermit tightLast = acquire(List.of(tpm("key:k2", 1000), tpm("team:t2", 5000)), 300, NOW);

    // key:k1 has 5000 - 4800 = 200 left, team:t1 1000 - 300 = 700; key:k2 700, team:t2 200.
    assertThat(tightFirst.status().tokens()).contains(new RateRemaining(5000, 200));
    assertThat(tightLast.status().tokens()).contains(new RateRemaining(5000, 200));
    assertThat(tightFirst.status().requests()).contains(new RateRemaining(10, 9));
  }

  @Test
  void onATieTheScopeWithTheSmallerLimitIsReported() {
    RateScope bigKey = new RateScope("key:k1", Fixtures.rateLimits(5, 5000, 100));
    RateScope smallTeam = new RateScope("team:t1", Fixtures.rateLimits(4, 1000, 100));
    RateScope smallKey = new RateScope("key:k2", Fixtures.rateLimits(4, 1000, 100));
    RateScope bigTeam = new RateScope("team:t2", Fixtures.rateLimits(5, 5000, 100));
    acquire(List.of(bigKey), 4000, NOW);
    acquire(List.of(bigTeam), 4000, NOW);

    // The big scopes have 5 - 2 = 3 requests and 5000 - 4300 = 700 tokens left, the small ones
    // 4 - 1 = 3 and 1000 - 300 = 700: the same counts under smaller limits. Whichever comes first
    // in name order, the smaller limit is the one reported.
    RatePermit smallLast = acquire(List.of(bigKey, smallTeam), 300, NOW);
    RatePermit smallFirst = acquire(List.of(smallKey, bigTeam), 300, NOW);

    assertThat(smallLast.status().requests()).contains(new RateRemaining(4, 3));
    assertThat(smallLast.status().tokens()).contains(new RateRemaining(1000, 700));
    assertThat(smallFirst.status().requests()).contains(new RateRemaining(4, 3));
    assertThat(smallFirst.status().tokens()).contains(new RateRemaining(1000, 700));
  }

  @Test
  void remainingTokensStartFromTheActualTokensOfReleasedRequests() {
    var scopes = List.of(tpm("team:t1", 1000));
    limiter.release(acquire(scopes, 800, NOW), 100);

    RatePermit p = acquire(scopes, 200, NOW);

    assertThat(p.status().tokens()).contains(new RateRemaining(1000, 700));
  }

  @Test
  void thereIsNothingRemainingToReportWithoutRequestOrTokenLimits() {
    RatePermit parallelOnly = acquire(List.of(parallel("key:k1", 5)), 100, NOW);
    RatePermit none = acquire(List.of(new RateScope("key:free", RateLimits.NONE)), 100, NOW);
    RatePermit noScopes = acquire(List.of(), 100, NOW);

    assertThat(parallelOnly.status().isEmpty()).isTrue();
    assertThat(none.status().isEmpty()).isTrue();
    assertThat(noScopes.status().isEmpty()).isTrue();
  }

  @Test
  void theStatusSaysWhenTheUtcMinuteOfTheCountsEnds() {
    RatePermit p = acquire(List.of(rpm("key:k1", 3)), 0, T0.plusSeconds(48));

    assertThat(p.status().windowEnd()).isEqualTo(T0.plusSeconds(60));
    assertThat(p.minute()).isEqualTo(T0.toString());
  }

  @Test
  void thePermitRecordsItsMinuteAndEstimate() {
    RatePermit p = limiter.acquire("p1", List.of(rpm("key:k1", 5)), 42, NOW, LATER);

    assertThat(p.id()).isEqualTo("p1");
    assertThat(p.estimatedTokens()).isEqualTo(42);
    assertThat(p.expiresAt()).isEqualTo(LATER);
    assertThat(p.scopes()).extracting(RateScope::scope).containsExactly("key:k1");
  }
}

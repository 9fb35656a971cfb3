package io.llmgateway.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.core.http.HttpResponseFor;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.server.support.GatewayStack;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code x-ratelimit-*} headers of chat completions (and of Anthropic's {@code /v1/messages},
 * through the same prelude), end to end on PostgreSQL: what the key's, user's and team's RPM and
 * TPM limits have left after each admitted request, for blocking and streamed answers. Each test
 * starts 48 s into a fresh UTC minute, so the windows reset in 12 s.
 */
class RateLimitHeadersTest {
  static GatewayStack stack;

  /** "hi" is 2 bytes: the input bound is 64 (per request) + 16 (per message) + 2 tokens. */
  static final String HI_100 =
      "{\"model\":\"model-balanced\",\"max_tokens\":100,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  static final long HI_100_ESTIMATE = 64 + 16 + 2 + 100;

  @BeforeAll
  static void start() {
    stack = GatewayStack.start();
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @BeforeEach
  void fortyEightSecondsIntoAFreshMinute() {
    Instant next =
        stack.clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    stack.clock.set(next.plusSeconds(48));
    stack.stub.reset();
  }

  @Test
  void aKeyWithRpmThreeSeesTwoOneAndZeroRequestsRemainingThenA429WithRetryAfter() throws Exception {
    String key = keyWith(new RateLimits(OptionalLong.of(3), OptionalLong.empty(), empty()));

    for (String expected : List.of("2", "1", "0")) {
      HttpResponse<String> r = stack.post("/v1/chat/completions", key, HI_100);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(header(r, "x-ratelimit-limit-requests")).contains("3");
      assertThat(header(r, "x-ratelimit-remaining-requests")).contains(expected);
      assertThat(header(r, "x-ratelimit-reset-requests")).contains("12s");
      assertThat(header(r, "x-ratelimit-remaining-tokens")).isEmpty();
    }
    HttpResponse<String> refused = stack.post("/v1/chat/completions", key, HI_100);

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(header(refused, "retry-after")).contains("12");
    assertThat(stack.stub.requestCount()).isEqualTo(3);
  }

  @Test
  void remainingTokensCountEachRequestsEstimateThenItsActualUsageSeenThroughTheOpenAiSdk() {
    String key = keyWith(new RateLimits(OptionalLong.empty(), OptionalLong.of(100_000), empty()));
    var client = stack.client(key);
    ChatCompletionCreateParams hi =
        ChatCompletionCreateParams.builder()
            .model("model-balanced")
            .maxCompletionTokens(100)
            .addUserMessage("hi")
            .build();

    long first;
    long usedByFirst;
    try (HttpResponseFor<ChatCompletion> r =
        client.chat().completions().withRawResponse().create(hi)) {
      assertThat(r.headers().values("x-ratelimit-limit-tokens")).containsExactly("100000");
      assertThat(r.headers().values("x-ratelimit-reset-tokens")).containsExactly("12s");
      assertThat(r.headers().values("x-ratelimit-remaining-requests")).isEmpty();
      first = Long.parseLong(r.headers().values("x-ratelimit-remaining-tokens").getFirst());
      usedByFirst = r.parse().usage().orElseThrow().totalTokens();
    }
    long second;
    try (HttpResponseFor<ChatCompletion> r =
        client.chat().completions().withRawResponse().create(hi)) {
      second = Long.parseLong(r.headers().values("x-ratelimit-remaining-tokens").getFirst());
    }

    // Admission counts the estimate (input bound + output cap); the first request's release
    // replaced its estimate by the tokens it actually used.
    assertThat(first).isEqualTo(100_000 - HI_100_ESTIMATE);
    assertThat(usedByFirst).isPositive();
    assertThat(second).isEqualTo(100_000 - usedByFirst - HI_100_ESTIMATE);
  }

  @Test
  void aTeamLimitIsSharedByItsMembersAndReportedWithTheTeamsOwnLimit() throws Exception {
    String team = "rl-team-" + System.nanoTime();
    stack.admin.createTeam(
        Principal.MASTER,
        new TeamSpec(
            Optional.of(team),
            team,
            Optional.empty(),
            List.of(),
            List.of(),
            List.of(),
            new RateLimits(OptionalLong.of(2), OptionalLong.empty(), empty()),
            Map.of()));
    // Alice's own key allows 10 a minute; Bob's key has no limits: the team's 2 bind both.
    String alice = stack.key(team, s -> withLimits(s, rpm(10))).plaintext();
    String bob = stack.key(team, s -> s).plaintext();

    HttpResponse<String> a = stack.post("/v1/chat/completions", alice, HI_100);
    HttpResponse<String> b = stack.post("/v1/chat/completions", bob, HI_100);
    HttpResponse<String> refused = stack.post("/v1/chat/completions", alice, HI_100);

    assertThat(header(a, "x-ratelimit-remaining-requests")).contains("1");
    assertThat(header(a, "x-ratelimit-limit-requests")).contains("2");
    assertThat(header(b, "x-ratelimit-remaining-requests")).contains("0");
    assertThat(header(b, "x-ratelimit-limit-requests")).contains("2");
    assertThat(refused.statusCode()).isEqualTo(429);
  }

  @Test
  void aKeyWithoutRequestOrTokenLimitsGetsNoRateLimitHeaders() throws Exception {
    String unlimited = stack.userKey("coding");
    String parallelOnly =
        keyWith(new RateLimits(OptionalLong.empty(), OptionalLong.empty(), OptionalLong.of(5)));

    for (String key : List.of(unlimited, parallelOnly)) {
      HttpResponse<String> r = stack.post("/v1/chat/completions", key, HI_100);

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().map().keySet())
          .noneMatch(name -> name.toLowerCase().startsWith("x-ratelimit-"));
    }
  }

  @Test
  void aStreamedAnswerCarriesTheHeadersBeforeItsFirstChunk() throws Exception {
    String key = keyWith(new RateLimits(OptionalLong.of(5), OptionalLong.of(100_000), empty()));
    String streamed = HI_100.replace("{\"model\"", "{\"stream\":true,\"model\"");

    HttpResponse<String> first = stack.post("/chat/completions", key, streamed);
    HttpResponse<String> second = stack.post("/chat/completions", key, streamed);

    assertThat(first.headers().firstValue("content-type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    assertThat(first.body()).endsWith("data: [DONE]\n\n");
    assertThat(header(first, "x-ratelimit-remaining-requests")).contains("4");
    assertThat(header(second, "x-ratelimit-remaining-requests")).contains("3");
    assertThat(header(first, "x-ratelimit-limit-tokens")).contains("100000");
    assertThat(header(first, "x-ratelimit-remaining-tokens"))
        .contains(Long.toString(100_000 - HI_100_ESTIMATE));
    assertThat(header(second, "x-ratelimit-reset-requests")).contains("12s");
  }

  @Test
  void anthropicMessagesCarryTheSameHeadersBlockingStreamedAndOnTheirRefusal() throws Exception {
    String key = keyWith(rpm(2));
    // HI_100 is a valid Messages API body too (model, max_tokens, messages).
    String streamed = HI_100.replace("{\"model\"", "{\"stream\":true,\"model\"");

    HttpResponse<String> blocking = stack.post("/v1/messages", key, HI_100);
    HttpResponse<String> stream = stack.post("/v1/messages", key, streamed);
    HttpResponse<String> refused = stack.post("/v1/messages", key, HI_100);

    assertThat(blocking.statusCode()).isEqualTo(200);
    assertThat(header(blocking, "x-ratelimit-limit-requests")).contains("2");
    assertThat(header(blocking, "x-ratelimit-remaining-requests")).contains("1");
    assertThat(header(blocking, "x-ratelimit-reset-requests")).contains("12s");
    assertThat(stream.body()).contains("event: message_stop");
    assertThat(header(stream, "x-ratelimit-remaining-requests")).contains("0");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.body()).contains("\"rate_limit_error\"");
    assertThat(header(refused, "x-ratelimit-limit-requests")).contains("2");
    assertThat(stack.stub.requestCount()).isEqualTo(2);
  }

  private static Optional<String> header(HttpResponse<String> r, String name) {
    return r.headers().firstValue(name);
  }

  private static OptionalLong empty() {
    return OptionalLong.empty();
  }

  private static RateLimits rpm(long value) {
    return new RateLimits(OptionalLong.of(value), OptionalLong.empty(), OptionalLong.empty());
  }

  private static String keyWith(RateLimits limits) {
    return stack.key("coding", s -> withLimits(s, limits)).plaintext();
  }

  private static KeySpec withLimits(KeySpec s, RateLimits limits) {
    return new KeySpec(
        s.userId(),
        s.teamId(),
        s.alias(),
        s.role(),
        s.models(),
        s.budgets(),
        limits,
        s.expiresAt(),
        s.duration(),
        s.blocked(),
        s.metadata(),
        s.key());
  }
}

package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Sign-in throttling (issue 15, finding 4): a forged {@code X-Forwarded-For} from a client that is
 * not a configured proxy does not give it a fresh per-address allowance, and failures for the
 * operator's user name from many addresses slow sign-in for that name down but never lock the
 * operator out.
 */
class UiLoginThrottleTest {

  private static HttpResponse<String> attempt(
      UiStack stack, UiHttp c, String password, String forwardedFor) throws Exception {
    String nonce = UiHttp.hidden(c.get("/ui/login").body(), "_login").orElseThrow();
    return c.post(
        "/ui/login",
        Map.of("username", UiStack.USER, "password", password, "_login", nonce),
        "Origin",
        stack.baseUrl(),
        "X-Forwarded-For",
        forwardedFor);
  }

  @Test
  void aForgedForwardedForFromAnUntrustedClientDoesNotResetItsLimit() throws Exception {
    // No trusted proxies: the test client (127.0.0.1) is the client, whatever it claims.
    try (UiStack stack = UiStack.start()) {
      UiHttp c = new UiHttp(stack.baseUrl());
      for (int i = 0; i < 5; i++) {
        assertThat(attempt(stack, c, "guess-" + i, "203.0.113." + i).statusCode()).isEqualTo(401);
      }

      HttpResponse<String> sixth = attempt(stack, c, UiStack.PASSWORD, "203.0.113.99");

      assertThat(sixth.statusCode()).isEqualTo(429);
      assertThat(sixth.body()).contains("Too many failed sign-ins");
    }
  }

  @Test
  void failuresFromManyAddressesSlowTheNameDownButDoNotLockTheOperatorOut() throws Exception {
    UiSettings settings = THROTTLED;
    try (UiStack stack = UiStack.startBehindProxy(settings)) {
      UiHttp c = new UiHttp(stack.baseUrl());
      for (int i = 0; i < 12; i++) {
        assertThat(attempt(stack, c, "guess-" + i, "198.18.0." + i).statusCode())
            .as("attempt %d", i)
            .isEqualTo(401);
      }

      long start = System.nanoTime();
      HttpResponse<String> operator = attempt(stack, c, UiStack.PASSWORD, "192.0.2.10");
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      assertThat(operator.statusCode()).as(operator.body()).isEqualTo(303);
      assertThat(took).as("slowed down").isGreaterThanOrEqualTo(Duration.ofMillis(150));
    }
  }

  /**
   * Behind a trusted proxy (the test client, 127.0.0.1) that forwards many addresses; per name a
   * slow-down after 10 failures, 250 ms doubling to at most 400 ms (old code: a hard lock at 10).
   */
  private static final UiSettings THROTTLED =
      UiSettings.builder()
          .admin(new UiSettings.Admin(UiStack.USER, UiStack.HASH))
          .throttle(
              new UiSettings.Throttle(5, 20, 10, Duration.ofMillis(400), Duration.ofMinutes(15)))
          .build();
}

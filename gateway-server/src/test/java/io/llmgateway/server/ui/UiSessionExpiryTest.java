package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Sessions end after 30 idle minutes, and after 8 hours however active (a moved clock). */
class UiSessionExpiryTest {
  private static final UiSettings SETTINGS =
      UiSettings.of(new UiSettings.Admin(UiStack.USER, UiStack.HASH));

  @Test
  void aSessionEndsAfterThirtyIdleMinutesButActivityKeepsItAlive() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:00:00Z"));
    try (UiStack stack = UiStack.start(SETTINGS, clock)) {
      UiHttp c = new UiHttp(stack.baseUrl());
      c.signIn(UiStack.USER, UiStack.PASSWORD);

      clock.advance(Duration.ofMinutes(20));
      assertThat(c.get("/ui/keys").statusCode()).isEqualTo(200); // used: extended to +30 min
      clock.advance(Duration.ofMinutes(25));
      assertThat(c.get("/ui/keys").statusCode()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(31));
      assertThat(c.get("/ui/keys").statusCode()).isEqualTo(303);
    }
  }

  @Test
  void aSessionEndsEightHoursAfterSignInHoweverActive() throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-11-27T09:00:00Z"));
    try (UiStack stack = UiStack.start(SETTINGS, clock)) {
      UiHttp c = new UiHttp(stack.baseUrl());
      c.signIn(UiStack.USER, UiStack.PASSWORD);

      for (int i = 0; i < 23; i++) { // 23 x 20 min = 7 h 40 min, always active
        clock.advance(Duration.ofMinutes(20));
        assertThat(c.get("/ui/audit").statusCode()).as("after %d min", (i + 1) * 20).isEqualTo(200);
      }
      clock.advance(Duration.ofMinutes(21));
      assertThat(c.get("/ui/audit").statusCode()).isEqualTo(303);
    }
  }
}

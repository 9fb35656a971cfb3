package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An unknown user name costs the same bcrypt work as the operator's (issue 15, finding 13): with a
 * cost-12 hash configured, the old cost-10 dummy answered an unknown name about 4x faster, which
 * told an attacker the operator's user name. Medians of a few sign-ins, from different addresses so
 * the throttle stays out of the way.
 */
class UiLoginTimingTest {
  private static final String HASH_12 = Passwords.hash(UiStack.PASSWORD.toCharArray(), 12);

  private static long medianMillis(UiStack stack, String user) throws Exception {
    long[] t = new long[3];
    for (int i = 0; i < t.length; i++) {
      UiHttp c = new UiHttp(stack.baseUrl());
      String nonce = UiHttp.hidden(c.get("/ui/login").body(), "_login").orElseThrow();
      long start = System.nanoTime();
      int status =
          c.post(
                  "/ui/login",
                  Map.of("username", user, "password", "wrong-" + i, "_login", nonce),
                  c.sameOrigin())
              .statusCode();
      t[i] = (System.nanoTime() - start) / 1_000_000;
      assertThat(status).isEqualTo(401);
    }
    Arrays.sort(t);
    return t[1];
  }

  @Test
  void anUnknownUserNameTakesAsLongAsTheOperatorsName() throws Exception {
    try (UiStack stack =
        UiStack.start(UiSettings.of(new UiSettings.Admin(UiStack.USER, HASH_12)))) {
      medianMillis(stack, "warm-up");
      long known = medianMillis(stack, UiStack.USER);
      long unknown = medianMillis(stack, "not-the-operator");

      assertThat((double) unknown / known)
          .as("unknown %d ms vs known %d ms", unknown, known)
          .isBetween(0.6, 1.7);
    }
  }
}

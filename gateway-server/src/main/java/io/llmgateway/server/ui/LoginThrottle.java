package io.llmgateway.server.ui;

import io.llmgateway.core.session.SessionStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Throttles sign-in guessing in the shared store, so the limits hold across instances (see {@link
 * UiSettings.Throttle}): an address over its limits is refused before any password work; a user
 * name is never refused, only slowed down, because failures for a name can come from anyone (a hard
 * per-name lock let anyone lock the operator out). The address is the one {@link
 * io.llmgateway.server.http.ClientAddress} resolves, so a forged {@code X-Forwarded-For} from a
 * client that is not a trusted proxy buys no fresh allowance. Subjects are SHA-256 hashes, so what
 * was typed is never stored. Thread-safe.
 */
final class LoginThrottle {
  /** The first slowed-down attempt waits this long; each further failure doubles it. */
  static final Duration FIRST_DELAY = Duration.ofMillis(250);

  /** What to do with an attempt. */
  sealed interface Verdict {
    /** Refused without checking the password: this address failed too often. */
    record Refused() implements Verdict {}

    /** Check the password after waiting {@code delay} (zero unless the name is under attack). */
    record Proceed(Duration delay) implements Verdict {}
  }

  private final SessionStore store;
  private final UiSettings.Throttle limits;
  private final Clock clock;

  LoginThrottle(SessionStore store, UiSettings.Throttle limits, Clock clock) {
    this.store = store;
    this.limits = limits;
    this.clock = clock;
  }

  Verdict check(String username, String address) {
    Instant since = clock.instant().minus(limits.window());
    if (store.failuresSince(pair(username, address), since) >= limits.perNameAndAddress()
        || store.failuresSince(address(address), since) >= limits.perAddress()) {
      return new Verdict.Refused();
    }
    int overLimit = store.failuresSince(user(username), since) - limits.slowAfter();
    return new Verdict.Proceed(overLimit < 0 ? Duration.ZERO : delay(overLimit));
  }

  /** {@link #FIRST_DELAY} doubled {@code n} times, at most {@code maxDelay}. */
  Duration delay(int n) {
    Duration d = FIRST_DELAY.multipliedBy(1L << Math.min(n, 20));
    return d.compareTo(limits.maxDelay()) > 0 ? limits.maxDelay() : d;
  }

  void failed(String username, String address) {
    Instant now = clock.instant();
    store.recordFailure(pair(username, address), now);
    store.recordFailure(address(address), now);
    store.recordFailure(user(username), now);
  }

  void succeeded(String username, String address) {
    store.clearFailures(pair(username, address));
    store.clearFailures(address(address));
  }

  Duration window() {
    return limits.window();
  }

  private static String pair(String username, String address) {
    return Secrets.sha256Hex("ui-login\n" + username.toLowerCase(Locale.ROOT) + "\n" + address);
  }

  private static String address(String address) {
    return Secrets.sha256Hex("ui-login-address\n" + address);
  }

  private static String user(String username) {
    return Secrets.sha256Hex("ui-login-user\n" + username.toLowerCase(Locale.ROOT));
  }
}

package io.llmgateway.server;

import io.llmgateway.core.GatewayConfig;
import java.time.Duration;
import java.util.Objects;

/**
 * Periodic jobs, caches and shutdown ({@link ServerConfig#timings()}).
 *
 * @param sweepInterval how often expired reservations are charged (any instance may do it)
 * @param shutdownGrace how long in-flight requests and streams may run after a stop request
 * @param authCacheTtl how long a resolved key stays cached (at most 1 s: bounds how long a blocked
 *     or deleted key keeps working on another instance)
 * @param probeTimeout how long {@code /health} waits for each deployment probe
 * @param reservationTtl how long a request's reservation lasts before the sweeper may charge it in
 *     full (GATEWAY_RESERVATION_TTL_SECONDS); must exceed the longest request
 * @param cancelDrain how long a stream the client cut is still read for its usage
 *     (GATEWAY_CANCEL_DRAIN_SECONDS; docs/CORE.md, "What is charged")
 */
public record TimingSettings(
    Duration sweepInterval,
    Duration shutdownGrace,
    Duration authCacheTtl,
    Duration probeTimeout,
    Duration reservationTtl,
    Duration cancelDrain) {
  public static final TimingSettings DEFAULT =
      new TimingSettings(
          Duration.ofSeconds(30),
          Duration.ofSeconds(25),
          Duration.ofSeconds(1),
          Duration.ofSeconds(10),
          GatewayConfig.defaults().reservationTtl(),
          GatewayConfig.DEFAULT_CANCEL_DRAIN);

  public TimingSettings {
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    Objects.requireNonNull(shutdownGrace, "shutdownGrace");
    Objects.requireNonNull(authCacheTtl, "authCacheTtl");
    Objects.requireNonNull(probeTimeout, "probeTimeout");
    Objects.requireNonNull(reservationTtl, "reservationTtl");
    Objects.requireNonNull(cancelDrain, "cancelDrain");
    if (sweepInterval.isZero() || sweepInterval.isNegative()) {
      throw new IllegalArgumentException("sweep interval must be positive");
    }
    if (authCacheTtl.isNegative() || authCacheTtl.compareTo(Duration.ofSeconds(1)) > 0) {
      throw new IllegalArgumentException("auth cache TTL must be between 0 and 1 second");
    }
  }

  /** The default reservation TTL and cancel drain. */
  public TimingSettings(
      Duration sweepInterval,
      Duration shutdownGrace,
      Duration authCacheTtl,
      Duration probeTimeout) {
    this(
        sweepInterval,
        shutdownGrace,
        authCacheTtl,
        probeTimeout,
        DEFAULT.reservationTtl(),
        DEFAULT.cancelDrain());
  }
}

package io.llmgateway.core;

import io.llmgateway.core.identity.KeyHash;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the gateway core, passed in as plain values (only a {@code Main} reads the
 * environment). Immutable and thread-safe.
 *
 * @param zone time zone of the calendar budget windows
 * @param masterKeyHash SHA-256 of the master key; empty disables master-key access
 * @param reservationTtl how long a reservation may stay unsettled before any instance may charge it
 *     in full. It must exceed the longest a request can take, {@code maxAttempts} times the longest
 *     provider call ({@code ModelProvider.maxCallDuration()}) plus {@code cancelDrain}: the {@link
 *     Gateway} refuses to start otherwise
 * @param minOutputTokens the smallest output cap worth calling the model with; a request whose
 *     budget affords fewer output tokens is refused with {@code budget_exceeded}
 * @param inputAllowance how the input-token upper bound is computed
 * @param maxAttempts how many deployment attempts a request may make before its first byte
 * @param settlement whether a request's settlement is written before it answers or just after
 * @param leaseWindow how long a budget lease admits requests; zero: no leases (every request
 *     reserves in the ledger before it is called). See {@code docs/CORE.md}, "Budget leases".
 * @param cancelDrain how long a stream the client closed early is still read (and discarded) for
 *     the provider's usage report, which is then charged; without it in time the stream is charged
 *     its worst case. Zero: no drain, a cancelled stream is charged its worst case unless its usage
 *     had already arrived. See {@code docs/CORE.md}, "What is charged".
 * @param sweepInterval how often the gateway's own sweeper charges reservations whose instance died
 *     (expired) and purges old ended ones; zero: only when {@link Gateway#sweep()} is called
 * @param memberKeyLimit the most keys a member (admin UI self-service) may hold; it creates no more
 */
public record GatewayConfig(
    ZoneId zone,
    Optional<KeyHash> masterKeyHash,
    Duration reservationTtl,
    int minOutputTokens,
    InputAllowance inputAllowance,
    int maxAttempts,
    Settlement settlement,
    Duration leaseWindow,
    Duration cancelDrain,
    Duration sweepInterval,
    int memberKeyLimit) {

  /**
   * When spend is written. {@code INLINE}: before {@code chat} returns (a caller reads its own
   * spend at once). {@code DEFERRED}: just after, in batches on a writer thread (one commit for
   * many requests; a request answers one database round trip sooner). Budgets hold either way: an
   * unsettled reservation keeps holding its worst case. Deferred needs {@link Gateway#close()} (or
   * {@link Gateway#flushSettlements}) before the stores go away.
   */
  public enum Settlement {
    INLINE,
    DEFERRED
  }

  /**
   * Token allowances added to the byte count of a request's text (as sent, escapes included) to
   * bound its input tokens from above. A byte-level BPE token covers at least one byte of text, so
   * bytes bound text tokens; the allowances cover framing (per request; per message, tool and
   * response format) and images, whose tokens are not text.
   */
  public record InputAllowance(int perRequest, int perMessage, int perImage) {
    public static final InputAllowance DEFAULT = new InputAllowance(64, 16, 4_000);

    public InputAllowance {
      if (perRequest < 0 || perMessage < 0 || perImage < 0) {
        throw new IllegalArgumentException("input allowances must not be negative");
      }
    }
  }

  public GatewayConfig {
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(masterKeyHash, "masterKeyHash");
    Objects.requireNonNull(reservationTtl, "reservationTtl");
    if (reservationTtl.isNegative() || reservationTtl.isZero()) {
      throw new IllegalArgumentException("reservation TTL must be positive");
    }
    if (minOutputTokens < 1) {
      throw new IllegalArgumentException("minimum output tokens must be at least 1");
    }
    Objects.requireNonNull(inputAllowance, "inputAllowance");
    if (maxAttempts < 1 || maxAttempts > 10) {
      throw new IllegalArgumentException("max attempts must be between 1 and 10");
    }
    Objects.requireNonNull(settlement, "settlement");
    Objects.requireNonNull(leaseWindow, "leaseWindow");
    if (leaseWindow.isNegative()) {
      throw new IllegalArgumentException("lease window must not be negative");
    }
    Objects.requireNonNull(cancelDrain, "cancelDrain");
    if (cancelDrain.isNegative()) {
      throw new IllegalArgumentException("cancel drain must not be negative");
    }
    Objects.requireNonNull(sweepInterval, "sweepInterval");
    if (sweepInterval.isNegative()) {
      throw new IllegalArgumentException("sweep interval must not be negative");
    }
    if (memberKeyLimit < 1 || memberKeyLimit > 1000) {
      throw new IllegalArgumentException("member key limit must be between 1 and 1000");
    }
  }

  /** The default {@link #cancelDrain()}: long enough for a short answer to finish generating. */
  public static final Duration DEFAULT_CANCEL_DRAIN = Duration.ofSeconds(5);

  /**
   * The longest one request can take, given the longest one provider call: every attempt may run
   * its whole call, and a stream closed early is drained for at most {@link #cancelDrain()} more.
   */
  public Duration longestRequest(Duration longestCall) {
    return longestCall.multipliedBy(maxAttempts).plus(cancelDrain);
  }

  /**
   * Refuses a reservation TTL that a request could outlive, given the longest call of {@code
   * provider}: the sweeper would then charge and free a request that is still running.
   *
   * @throws IllegalArgumentException naming the settings to change
   */
  public void requireRequestsEndInTime(String provider, Duration longestCall) {
    if (longestRequest(longestCall).compareTo(reservationTtl) >= 0) {
      throw new IllegalArgumentException(
          "a request could outlive its reservation: reservationTtl ("
              + reservationTtl
              + ") must exceed maxAttempts ("
              + maxAttempts
              + ") x the '"
              + provider
              + "' provider's call timeout ("
              + longestCall
              + ") + cancelDrain ("
              + cancelDrain
              + "); raise the TTL or lower the attempts or the call timeout");
    }
  }

  /** Whether requests may be admitted against budget leases. */
  public boolean leases() {
    return !leaseWindow.isZero();
  }

  /**
   * UTC windows, no master key, 15-minute reservations, floor of 16 output tokens, 2 attempts,
   * inline settlement, no budget leases, cancelled streams drained for 5 s, expired reservations
   * swept every 30 s.
   */
  public static GatewayConfig defaults() {
    return builder().build();
  }

  /** A builder starting from {@link #defaults()}. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The default {@link #sweepInterval()}. */
  public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofSeconds(30);

  /** Builds a {@link GatewayConfig}; every setting starts at its default. Not thread-safe. */
  public static final class Builder {
    private ZoneId zone = ZoneId.of("UTC");
    private Optional<KeyHash> masterKeyHash = Optional.empty();
    private Duration reservationTtl = Duration.ofMinutes(15);
    private int minOutputTokens = 16;
    private InputAllowance inputAllowance = InputAllowance.DEFAULT;
    private int maxAttempts = 2;
    private Settlement settlement = Settlement.INLINE;
    private Duration leaseWindow = Duration.ZERO;
    private Duration cancelDrain = DEFAULT_CANCEL_DRAIN;
    private Duration sweepInterval = DEFAULT_SWEEP_INTERVAL;
    private int memberKeyLimit = io.llmgateway.core.admin.AdminService.DEFAULT_MEMBER_KEY_LIMIT;

    private Builder() {}

    private Builder(GatewayConfig c) {
      zone = c.zone;
      masterKeyHash = c.masterKeyHash;
      reservationTtl = c.reservationTtl;
      minOutputTokens = c.minOutputTokens;
      inputAllowance = c.inputAllowance;
      maxAttempts = c.maxAttempts;
      settlement = c.settlement;
      leaseWindow = c.leaseWindow;
      cancelDrain = c.cancelDrain;
      sweepInterval = c.sweepInterval;
      memberKeyLimit = c.memberKeyLimit;
    }

    public Builder zone(ZoneId value) {
      zone = value;
      return this;
    }

    /** The master key, kept only as its hash. */
    public Builder masterKey(String plaintext) {
      masterKeyHash = Optional.of(KeyHash.of(plaintext));
      return this;
    }

    public Builder reservationTtl(Duration value) {
      reservationTtl = value;
      return this;
    }

    public Builder minOutputTokens(int value) {
      minOutputTokens = value;
      return this;
    }

    public Builder inputAllowance(InputAllowance value) {
      inputAllowance = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      maxAttempts = value;
      return this;
    }

    public Builder settlement(Settlement value) {
      settlement = value;
      return this;
    }

    public Builder leaseWindow(Duration value) {
      leaseWindow = value;
      return this;
    }

    public Builder cancelDrain(Duration value) {
      cancelDrain = value;
      return this;
    }

    /** How often the gateway charges expired reservations; zero: only when asked. */
    public Builder sweepInterval(Duration value) {
      sweepInterval = value;
      return this;
    }

    /** The most keys a member (self-service) may hold. */
    public Builder memberKeyLimit(int value) {
      memberKeyLimit = value;
      return this;
    }

    public GatewayConfig build() {
      return new GatewayConfig(
          zone,
          masterKeyHash,
          reservationTtl,
          minOutputTokens,
          inputAllowance,
          maxAttempts,
          settlement,
          leaseWindow,
          cancelDrain,
          sweepInterval,
          memberKeyLimit);
    }
  }
}

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
    Duration cancelDrain) {

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
   * inline settlement, no budget leases, cancelled streams drained for 5 s.
   */
  public static GatewayConfig defaults() {
    return new GatewayConfig(
        ZoneId.of("UTC"),
        Optional.empty(),
        Duration.ofMinutes(15),
        16,
        InputAllowance.DEFAULT,
        2,
        Settlement.INLINE,
        Duration.ZERO,
        DEFAULT_CANCEL_DRAIN);
  }

  public GatewayConfig withZone(ZoneId value) {
    return new GatewayConfig(
        value,
        masterKeyHash,
        reservationTtl,
        minOutputTokens,
        inputAllowance,
        maxAttempts,
        settlement,
        leaseWindow,
        cancelDrain);
  }

  public GatewayConfig withMasterKey(String plaintextMasterKey) {
    return new GatewayConfig(
        zone,
        Optional.of(KeyHash.of(plaintextMasterKey)),
        reservationTtl,
        minOutputTokens,
        inputAllowance,
        maxAttempts,
        settlement,
        leaseWindow,
        cancelDrain);
  }

  public GatewayConfig withReservationTtl(Duration value) {
    return new GatewayConfig(
        zone,
        masterKeyHash,
        value,
        minOutputTokens,
        inputAllowance,
        maxAttempts,
        settlement,
        leaseWindow,
        cancelDrain);
  }

  public GatewayConfig withMinOutputTokens(int value) {
    return new GatewayConfig(
        zone,
        masterKeyHash,
        reservationTtl,
        value,
        inputAllowance,
        maxAttempts,
        settlement,
        leaseWindow,
        cancelDrain);
  }

  public GatewayConfig withMaxAttempts(int value) {
    return new GatewayConfig(
        zone,
        masterKeyHash,
        reservationTtl,
        minOutputTokens,
        inputAllowance,
        value,
        settlement,
        leaseWindow,
        cancelDrain);
  }

  public GatewayConfig withSettlement(Settlement value) {
    return new GatewayConfig(
        zone,
        masterKeyHash,
        reservationTtl,
        minOutputTokens,
        inputAllowance,
        maxAttempts,
        value,
        leaseWindow,
        cancelDrain);
  }

  /** With budget leases admitting for {@code value} each ({@link Duration#ZERO}: none). */
  public GatewayConfig withLeaseWindow(Duration value) {
    return new GatewayConfig(
        zone,
        masterKeyHash,
        reservationTtl,
        minOutputTokens,
        inputAllowance,
        maxAttempts,
        settlement,
        value,
        cancelDrain);
  }

  /**
   * With cancelled streams drained for their usage for at most {@code value} (zero: not at all).
   */
  public GatewayConfig withCancelDrain(Duration value) {
    return new GatewayConfig(
        zone,
        masterKeyHash,
        reservationTtl,
        minOutputTokens,
        inputAllowance,
        maxAttempts,
        settlement,
        leaseWindow,
        value);
  }
}

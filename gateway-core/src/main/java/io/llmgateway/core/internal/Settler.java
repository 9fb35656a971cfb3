package io.llmgateway.core.internal;

import io.llmgateway.core.GatewayEvents;
import io.llmgateway.core.GatewayTracing;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.ratelimit.RateLimiter;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles admitted requests: the cost {@link ChargePolicy} gives replaces what was held (the
 * request's {@link Claim} settles itself through the {@link SettlementWriter}, at once or
 * deferred), the rate-limit permit is returned at once. If the ledger cannot be reached the
 * reservation is left to expire, and a sweeper then charges it in full: spend can be over-counted
 * after a fault, never lost. Thread-safe.
 */
public final class Settler {
  private static final Logger log = LoggerFactory.getLogger(Settler.class);

  private final RateLimiter rateLimiter;
  private final GatewayEvents events;
  private final Clock clock;
  private final GatewayTracing tracing;

  public Settler(RateLimiter rateLimiter, GatewayEvents events, Clock clock) {
    this(rateLimiter, events, clock, GatewayTracing.NONE);
  }

  public Settler(
      RateLimiter rateLimiter, GatewayEvents events, Clock clock, GatewayTracing tracing) {
    this.rateLimiter = rateLimiter;
    this.events = events;
    this.clock = clock;
    this.tracing = tracing;
  }

  /**
   * Settles {@code admitted} for what happened to it, charged as {@link ChargePolicy} says:
   * reported usage priced at the deployment that served it (the admitted, dearest prices if none
   * did), the whole reservation, or nothing.
   */
  public SpendRecord settle(
      Admitted admitted, Optional<Deployment> deployment, ChargePolicy.Outcome outcome) {
    GatewayTracing.PhaseSpan span = tracing.start(GatewayTracing.Phase.SETTLEMENT);
    try {
      SpendRecord record = charge(admitted, deployment, outcome);
      tracing.settled(record);
      span.end();
      return record;
    } catch (RuntimeException e) {
      span.fail(Tracing.errorType(e));
      throw e;
    }
  }

  private SpendRecord charge(
      Admitted admitted, Optional<Deployment> deployment, ChargePolicy.Outcome outcome) {
    ChargePolicy.Charge charge = ChargePolicy.charge(outcome);
    return switch (charge) {
      case ChargePolicy.Charge.Usage u ->
          settle(
              admitted,
              deployment,
              Optional.of(u.usage()),
              deployment.map(Deployment::pricing).orElse(admitted.pricing()).cost(u.usage()),
              u.status(),
              u.errorCode());
      case ChargePolicy.Charge.WorstCase w ->
          settle(
              admitted,
              deployment,
              Optional.empty(),
              admitted.claim().amount(),
              w.status(),
              w.errorCode());
      case ChargePolicy.Charge.Nothing n ->
          settle(admitted, deployment, Optional.empty(), Money.ZERO, n.status(), n.errorCode());
    };
  }

  private SpendRecord settle(
      Admitted admitted,
      Optional<Deployment> deployment,
      Optional<TokenUsage> usage,
      Money cost,
      SpendStatus status,
      Optional<String> errorCode) {
    if (cost.compareTo(admitted.claim().amount()) > 0) {
      // Only possible if a provider reports more tokens than the bound admitted; charge it all
      // (never under-charge) and make it visible.
      log.warn(
          "request {} cost {} exceeds its reservation {}; charging actual usage",
          admitted.pending().requestId(),
          cost,
          admitted.claim().amount());
    }
    SpendRecord base =
        deployment.map(d -> admitted.pending().withDeployment(d.id())).orElse(admitted.pending());
    SpendRecord record = base.finish(usage, cost, status, errorCode, clock.instant());
    try {
      admitted.claim().settle(record, cost, s -> events.settled(s.record()));
    } finally {
      // At once even when the settlement is deferred: a client with a concurrency limit of one
      // may send its next request as soon as it has this answer.
      admitted.permit().ifPresent(p -> release(p, usage));
    }
    return record;
  }

  private void release(io.llmgateway.core.ratelimit.RatePermit permit, Optional<TokenUsage> usage) {
    try {
      rateLimiter.release(
          permit, usage.map(TokenUsage::totalTokens).orElse(permit.estimatedTokens()));
    } catch (RuntimeException e) {
      log.warn(
          "could not release rate-limit permit {}; it lapses at {}",
          permit.id(),
          permit.expiresAt());
    }
  }
}

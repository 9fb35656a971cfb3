package io.llmgateway.core.internal;

import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationLedger;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.chat.ChatRequest;
import io.llmgateway.core.error.BudgetExceededException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.CostCalculator;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.ratelimit.RateLimiter;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.ratelimit.RateScope;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Supplier;

/**
 * Admits a request: computes its worst-case cost, clamps the output cap to what the tightest budget
 * can still pay for, takes a rate-limit permit, and reserves the worst case on every applicable
 * counter at once. Thread-safe (stateless apart from its collaborators).
 *
 * <p>The first attempt reserves the full cap without reading balances; the reservation is
 * conditional in the ledger, so the invariant {@code committed + reserved <= limit} holds whatever
 * admission believed. A refusal makes admission read the balances, shrink the cap to what the
 * tightest line can still pay for, and try again; a stale read can only cause another refusal.
 */
public final class Admission {
  private static final int RESERVE_ATTEMPTS = 4;

  /** How long a refused request waits, at most, for this instance's queued settlements. */
  private static final java.time.Duration SETTLEMENT_WAIT = java.time.Duration.ofMillis(500);

  private final ReservationLedger ledger;
  private final RateLimiter rateLimiter;
  private final SettlementWriter writer;
  private final GatewayConfig config;
  private final Optional<BudgetLeases> leases;

  public Admission(
      ReservationLedger ledger,
      RateLimiter rateLimiter,
      SettlementWriter writer,
      GatewayConfig config,
      Optional<BudgetLeases> leases) {
    this.ledger = ledger;
    this.rateLimiter = rateLimiter;
    this.writer = writer;
    this.config = config;
    this.leases = leases;
  }

  public Admitted admit(
      Principal principal, String requestId, LogicalModel model, ChatRequest request, Instant now) {
    return admit(principal, requestId, model, request, now, OptionalLong::empty);
  }

  /**
   * Admits a request as above; {@code exactInput} is the provider's exact count of its input tokens
   * (Bedrock's CountTokens), asked for at most once and only when the bound of one token per byte
   * would refuse or clamp it: then the smaller of the two is the input bound, so a large prompt is
   * not priced out by its bytes (issue 20). Empty when the provider cannot count.
   */
  public Admitted admit(
      Principal principal,
      String requestId,
      LogicalModel model,
      ChatRequest request,
      Instant now,
      Supplier<OptionalLong> exactInput) {
    long inputBound = InputTokenBound.of(request, config.inputAllowance());
    int modelMax =
        model.deployments().stream().mapToInt(Deployment::maxOutputTokens).min().orElseThrow();
    int wanted = Math.min(request.maxTokens().orElse(modelMax), modelMax);
    int floor = Math.min(config.minOutputTokens(), wanted);
    return admit(principal, requestId, model, inputBound, wanted, floor, now, exactInput);
  }

  /**
   * Admits an input-only request (an embedding: no output tokens) whose input is at most {@code
   * inputBound} tokens, the same way: rate-limit permit, then its worst case (the input bound at
   * the dearest input price) held on every budget line, or refused. The output cap is 0.
   */
  public Admitted admitInputOnly(
      Principal principal, String requestId, LogicalModel model, long inputBound, Instant now) {
    return admit(principal, requestId, model, inputBound, 0, 0, now, OptionalLong::empty);
  }

  private Admitted admit(
      Principal principal,
      String requestId,
      LogicalModel model,
      long inputBound,
      int wanted,
      int floor,
      Instant now,
      Supplier<OptionalLong> exactInput) {
    Pricing pricing = dearest(model);
    boolean exactAsked = false;

    List<BudgetLine> lines =
        principal instanceof Principal.Keyed k
            ? BudgetPlan.linesFor(k, now, config.zone())
            : List.of();
    List<CounterKey> counters = lines.stream().map(BudgetLine::counter).toList();
    SpendRecord pending = pending(principal, requestId, model.name(), now);
    // The charge's own id, never the caller's request id (which may repeat): what the ledger
    // keys the reservation or the lease draw by, so each admitted request is charged once.
    String chargeId = ChargeIds.next();
    Instant expiresAt = now.plus(config.reservationTtl());

    // Optimistic first attempt at the full cap: most requests fit, and then admission costs one
    // ledger round trip. Only a refusal reads the balances to shrink the cap.
    int cap = wanted;
    Optional<RatePermit> permit =
        acquirePermit(principal, chargeId, inputBound + cap, now, expiresAt);
    try {
      if (leases.isPresent()) {
        // Against this instance's budget lease, in memory, if there is (or can be) one: only
        // where the headroom is ample, so the cap is the one a lone reservation would get.
        Money worstCase = pricing.worstCase(inputBound, cap);
        Optional<Claim> hold = leases.get().hold(lines, worstCase, pending, chargeId, now);
        if (hold.isPresent()) {
          return new Admitted(hold.get(), permit, cap, inputBound, pricing, pending);
        }
      }
      boolean leasesRecalled = false;
      boolean settlementsWritten = false;
      for (int attempt = 1; ; attempt++) {
        Money amount = pricing.worstCase(inputBound, cap);
        ReserveOutcome outcome =
            ledger.reserve(
                new ReservationRequest(
                    chargeId,
                    lines,
                    amount,
                    now,
                    expiresAt,
                    pending.finish(
                        Optional.empty(), amount, SpendStatus.PENDING, Optional.empty(), now)));
        switch (outcome) {
          case ReserveOutcome.Reserved r -> {
            return new Admitted(
                new OwnReservation(r.reservation(), writer),
                permit,
                cap,
                inputBound,
                pricing,
                pending);
          }
          case ReserveOutcome.Refused refused -> {
            // Bytes overstate tokens about fourfold: before anything else, ask for the exact
            // count (one call, only now) and try again at the full cap if it is smaller; not
            // when the refusing line could not pay for even an empty prompt (no count can help).
            if (!exactAsked && countMayHelp(refused, pricing, floor)) {
              exactAsked = true;
              long exact = exactBound(exactInput, inputBound);
              if (exact < inputBound) {
                inputBound = exact;
                cap = wanted;
                attempt--;
                continue;
              }
            }
            // This instance's answered requests whose settlements are still queued hold their
            // worst cases: write them first (once, bounded), so that a user sending back to back
            // is not refused or clamped by their own requests already answered.
            if (!settlementsWritten && writer.deferred()) {
              settlementsWritten = true;
              writer.flush(SETTLEMENT_WAIT);
              attempt--;
              continue;
            }
            // Lease slices held for nobody (on this instance or another) must not be what refuses
            // or clamps it: recall them (once, waiting a bounded time) and try again at the same
            // cap.
            if (!leasesRecalled && leases.isPresent()) {
              leasesRecalled = true;
              if (leases.get().recall(counters)) {
                attempt--;
                continue;
              }
            }
            // Not enough room for this cap (or someone spent in between): read the balances and
            // shrink the cap to what the tightest line can pay for, or refuse.
            if (attempt >= RESERVE_ATTEMPTS) {
              throw exceeded(refused.line(), refused.balance(), demand(pricing, inputBound, floor));
            }
            cap = clamp(lines, counters, inputBound, pricing, cap, floor);
          }
        }
      }
    } catch (RuntimeException e) {
      permit.ifPresent(p -> rateLimiter.release(p, 0));
      throw e;
    }
  }

  /** Whether the refusing line has room for the smallest request: an empty prompt, floor output. */
  private boolean countMayHelp(ReserveOutcome.Refused refused, Pricing pricing, int floor) {
    Money room = refused.line().limit().minusOrZero(refused.balance().used());
    return pricing.worstCase(config.inputAllowance().perRequest(), floor).compareTo(room) <= 0;
  }

  /**
   * The provider's exact input count plus the per-request allowance (what the count cannot see:
   * nothing on Bedrock, kept as a margin), or {@code byteBound} if it cannot count or the count
   * fails (a count is an optimisation: its failure must not fail the request).
   */
  private long exactBound(Supplier<OptionalLong> exactInput, long byteBound) {
    try {
      OptionalLong exact = exactInput.get();
      return exact.isPresent()
          ? Math.min(byteBound, exact.getAsLong() + config.inputAllowance().perRequest())
          : byteBound;
    } catch (RuntimeException e) {
      return byteBound;
    }
  }

  /** The largest output cap (at most {@code wanted}) every line can pay for, or refuse. */
  private int clamp(
      List<BudgetLine> lines,
      List<CounterKey> counters,
      long inputBound,
      Pricing pricing,
      int wanted,
      int floor) {
    if (lines.isEmpty()) {
      return wanted;
    }
    Map<CounterKey, CounterBalance> balances = ledger.balances(counters);
    BudgetLine tightest = null;
    Money headroom = Money.MAX;
    for (BudgetLine line : lines) {
      Money room = line.limit().minusOrZero(balance(balances, line).used());
      if (tightest == null || room.compareTo(headroom) < 0) {
        tightest = line;
        headroom = room;
      }
    }
    long cap = affordableOutput(headroom, inputBound, pricing, wanted);
    if (cap < floor) {
      throw exceeded(tightest, balance(balances, tightest), demand(pricing, inputBound, floor));
    }
    return (int) cap;
  }

  /**
   * Largest n <= wanted with worstCase(inputBound, n) <= headroom; -1 if not even the input fits.
   */
  static long affordableOutput(Money headroom, long inputBound, Pricing pricing, int wanted) {
    Money inputCost = CostCalculator.cost(inputBound, pricing.dearestInput());
    if (inputCost.compareTo(headroom) > 0) {
      return -1;
    }
    long n =
        Math.min(
            wanted,
            CostCalculator.affordableTokens(headroom.minusOrZero(inputCost), pricing.output()));
    // Summing before rounding can only make the combined cost smaller, so n fits; the loop is a
    // guard against that reasoning ever being wrong.
    while (n > 0 && pricing.worstCase(inputBound, n).compareTo(headroom) > 0) {
      n--;
    }
    return n;
  }

  private Optional<RatePermit> acquirePermit(
      Principal principal, String requestId, long tokens, Instant now, Instant expiresAt) {
    if (!(principal instanceof Principal.Keyed k)) {
      return Optional.empty();
    }
    List<RateScope> scopes = new ArrayList<>();
    if (!k.key().rateLimits().isEmpty()) {
      scopes.add(new RateScope("key:" + k.key().id(), k.key().rateLimits()));
    }
    k.user()
        .filter(u -> !u.rateLimits().isEmpty())
        .ifPresent(u -> scopes.add(new RateScope("user:" + u.id(), u.rateLimits())));
    k.team()
        .filter(t -> !t.rateLimits().isEmpty())
        .ifPresent(t -> scopes.add(new RateScope("team:" + t.id(), t.rateLimits())));
    if (scopes.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(rateLimiter.acquire(requestId, scopes, tokens, now, expiresAt));
  }

  private static CounterBalance balance(Map<CounterKey, CounterBalance> balances, BudgetLine line) {
    return balances.getOrDefault(line.counter(), CounterBalance.EMPTY);
  }

  private static BudgetExceededException exceeded(
      BudgetLine line, CounterBalance balance, BudgetExceededException.Demand demand) {
    return new BudgetExceededException(
        line.counter().scope(),
        line.counter().window(),
        line.limit(),
        balance.used(),
        line.resetsAt(),
        demand);
  }

  /** The least this request could hold: its input bound and the smallest output it accepts. */
  private static BudgetExceededException.Demand demand(
      Pricing pricing, long inputBound, int outputTokens) {
    return new BudgetExceededException.Demand(
        pricing.worstCase(inputBound, outputTokens), inputBound, outputTokens);
  }

  /** The dearest price of each kind across deployments: failover can never cost more. */
  static Pricing dearest(LogicalModel model) {
    return model.deployments().stream()
        .map(Deployment::pricing)
        .reduce(Pricing::dearest)
        .orElseThrow();
  }

  private static SpendRecord pending(
      Principal principal, String requestId, String model, Instant now) {
    String keyId = "master";
    Optional<String> userId = Optional.empty();
    Optional<String> teamId = Optional.empty();
    if (principal instanceof Principal.Keyed k) {
      keyId = k.key().id();
      userId = k.user().map(u -> u.id()).or(() -> k.key().userId());
      teamId = k.team().map(t -> t.id()).or(() -> k.key().teamId());
    }
    return new SpendRecord(
        requestId,
        keyId,
        userId,
        teamId,
        model,
        Optional.empty(),
        Optional.empty(),
        Money.ZERO,
        SpendStatus.PENDING,
        Optional.empty(),
        0,
        now,
        now);
  }
}

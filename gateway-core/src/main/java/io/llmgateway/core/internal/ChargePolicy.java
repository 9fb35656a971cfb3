package io.llmgateway.core.internal;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.spend.SpendStatus;
import java.util.Optional;

/**
 * What an admitted request is charged, by what happened to it: the one charging table of the
 * gateway (docs/CORE.md, "What is charged when things go wrong", describes this code). Blocking
 * answers, streams and failover settle through it ({@link Settler#settle(Admitted,
 * java.util.Optional, Outcome)}); the sweeper's {@code BudgetLedger.expire} implements its {@link
 * Outcome.Expired} row in the ledger. The guarantee it keeps: never charge less than the provider
 * may have billed. Only a provider's reported usage is ever priced; where none arrived and the
 * provider may have billed, the request pays its worst case (its reservation, which bounds what one
 * attempt can cost). Stateless.
 */
public final class ChargePolicy {
  private ChargePolicy() {}

  /** What happened to an admitted request, as far as its charge goes. */
  public sealed interface Outcome {
    /** The provider answered (a whole answer, or a stream read to its end). */
    record Answered(Optional<TokenUsage> usage) implements Outcome {}

    /** Nothing was sent upstream (the admission listener failed before the call). */
    record NotCalled(String errorCode) implements Outcome {}

    /**
     * The provider certainly did not bill: throttled (429), refused (4xx), a 5xx before any body,
     * could not connect. The adapter marks these {@link Billing#NOT_BILLED}.
     */
    record NotBilled(String errorCode) implements Outcome {}

    /**
     * The provider may have billed: a timeout, an interrupted call, a connection reset after the
     * request was sent, an unreadable, cut or usage-less 200, a stream broken upstream, an error
     * the gateway does not understand. {@code usage} is the provider's report, if one arrived.
     */
    record MaybeBilled(Optional<TokenUsage> usage, String errorCode) implements Outcome {}

    /**
     * The client closed a stream before its end; {@code usage} is what the provider reported,
     * possibly while the stream was drained after the close.
     */
    record Cancelled(Optional<TokenUsage> usage) implements Outcome {}

    /** The instance never settled the request (it crashed): the sweeper charges it. */
    record Expired() implements Outcome {}
  }

  /** What is charged: reported usage (priced at the serving deployment), the worst case, or 0. */
  public sealed interface Charge {
    SpendStatus status();

    Optional<String> errorCode();

    record Usage(TokenUsage usage, SpendStatus status, Optional<String> errorCode)
        implements Charge {}

    /** The request's reservation: its input bound and output cap at the dearest prices. */
    record WorstCase(SpendStatus status, Optional<String> errorCode) implements Charge {}

    record Nothing(SpendStatus status, Optional<String> errorCode) implements Charge {}
  }

  /** The table. */
  public static Charge charge(Outcome outcome) {
    return switch (outcome) {
      case Outcome.Answered a ->
          usageElseWorstCase(a.usage(), SpendStatus.SUCCESS, Optional.empty());
      case Outcome.NotCalled n -> new Charge.Nothing(SpendStatus.ERROR, Optional.of(n.errorCode()));
      case Outcome.NotBilled n -> new Charge.Nothing(SpendStatus.ERROR, Optional.of(n.errorCode()));
      case Outcome.MaybeBilled m ->
          usageElseWorstCase(m.usage(), SpendStatus.ERROR, Optional.of(m.errorCode()));
      case Outcome.Cancelled c ->
          usageElseWorstCase(c.usage(), SpendStatus.CANCELLED, Optional.of("client_disconnected"));
      case Outcome.Expired e -> new Charge.WorstCase(SpendStatus.EXPIRED, Optional.empty());
    };
  }

  /**
   * The outcome of an attempt that failed with {@code failure} before the provider answered: the
   * adapter's {@link Billing} mark decides; anything unmarked (a bug, an unknown error) may have
   * been billed.
   */
  public static Outcome failed(RuntimeException failure) {
    if (!(failure instanceof GatewayException g)) {
      return new Outcome.MaybeBilled(Optional.empty(), "internal_error");
    }
    return switch (g) {
      case ProviderUnavailableException p -> byBilling(p.billing(), p.code());
      case ProviderRejectedException r -> byBilling(r.billing(), r.code());
      // The adapter's own refusals (a request it cannot map) happen before anything is sent.
      default -> new Outcome.NotBilled(g.code());
    };
  }

  /**
   * Whether a failed attempt may be followed by another (on the next deployment): only when the
   * provider certainly did not bill it and says another attempt may work. Anything that may have
   * been billed ends the request, because its reservation covers one billed attempt.
   */
  public static boolean failsOver(RuntimeException failure) {
    return failure instanceof ProviderUnavailableException p
        && p.retryable()
        && p.billing() == Billing.NOT_BILLED;
  }

  private static Outcome byBilling(Billing billing, String code) {
    return billing == Billing.NOT_BILLED
        ? new Outcome.NotBilled(code)
        : new Outcome.MaybeBilled(Optional.empty(), code);
  }

  /** Only a provider's report is priced; an estimate never is (it could be low). */
  private static Charge usageElseWorstCase(
      Optional<TokenUsage> usage, SpendStatus status, Optional<String> errorCode) {
    return usage
        .filter(u -> u.source() == TokenUsage.Source.REPORTED)
        .<Charge>map(u -> new Charge.Usage(u, status, errorCode))
        .orElseGet(() -> new Charge.WorstCase(status, errorCode));
  }
}

package io.llmgateway.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.error.Billing;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.ProviderRejectedException;
import io.llmgateway.core.error.ProviderUnavailableException;
import io.llmgateway.core.error.ProviderUnavailableException.Kind;
import io.llmgateway.core.internal.ChargePolicy.Charge;
import io.llmgateway.core.internal.ChargePolicy.Outcome;
import io.llmgateway.core.spend.SpendStatus;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Walks the charging table of docs/CORE.md, row by row, as {@link ChargePolicy} implements it. */
class ChargePolicyTest {
  private static final TokenUsage REPORTED = TokenUsage.reported(120, 30);
  private static final TokenUsage ESTIMATED = TokenUsage.estimated(120, 30);

  /** One row: an outcome, the charge it must get. */
  private record Row(Outcome outcome, Charge charge) {}

  @Test
  void everyOutcomeIsChargedAsTheTableSays() {
    List<Row> table =
        List.of(
            // answered: its reported usage; an answer without a usage report: the worst case
            row(new Outcome.Answered(Optional.of(REPORTED)), usage(SpendStatus.SUCCESS, null)),
            row(new Outcome.Answered(Optional.empty()), worst(SpendStatus.SUCCESS, null)),
            row(new Outcome.Answered(Optional.of(ESTIMATED)), worst(SpendStatus.SUCCESS, null)),
            // nothing was sent upstream
            row(new Outcome.NotCalled("internal_error"), nothing("internal_error")),
            // the provider certainly did not bill (throttled, refused, 5xx before the body)
            row(new Outcome.NotBilled("provider_throttled"), nothing("provider_throttled")),
            // the provider may have billed: its report, else the worst case, never zero
            row(
                new Outcome.MaybeBilled(Optional.of(REPORTED), "provider_bad_response"),
                usage(SpendStatus.ERROR, "provider_bad_response")),
            row(
                new Outcome.MaybeBilled(Optional.empty(), "provider_timeout"),
                worst(SpendStatus.ERROR, "provider_timeout")),
            row(
                new Outcome.MaybeBilled(Optional.of(ESTIMATED), "provider_bad_response"),
                worst(SpendStatus.ERROR, "provider_bad_response")),
            // cut by the client: the usage the drain obtained, else the worst case
            row(
                new Outcome.Cancelled(Optional.of(REPORTED)),
                usage(SpendStatus.CANCELLED, "client_disconnected")),
            row(
                new Outcome.Cancelled(Optional.empty()),
                worst(SpendStatus.CANCELLED, "client_disconnected")),
            // the instance crashed: the sweeper charges the reservation
            row(new Outcome.Expired(), worst(SpendStatus.EXPIRED, null)));

    for (Row r : table) {
      assertThat(ChargePolicy.charge(r.outcome())).as(r.outcome().toString()).isEqualTo(r.charge());
    }
    // Every kind of outcome has a row.
    assertThat(table.stream().map(r -> r.outcome().getClass()).distinct())
        .hasSize(Outcome.class.getPermittedSubclasses().length);
  }

  @Test
  void onlyFailuresTheProviderDidNotBillFailOverAndTheyCostNothing() {
    var throttled = unavailable(Kind.THROTTLED, Billing.NOT_BILLED, true);
    var http503 = unavailable(Kind.UNAVAILABLE, Billing.NOT_BILLED, true);
    var noCredentials = unavailable(Kind.UNAVAILABLE, Billing.NOT_BILLED, false);
    var timeout = unavailable(Kind.TIMEOUT, Billing.MAYBE_BILLED, true);
    var cut200 = unavailable(Kind.BAD_RESPONSE, Billing.MAYBE_BILLED, true);
    var interrupted = unavailable(Kind.UNAVAILABLE, Billing.MAYBE_BILLED, false);

    assertThat(ChargePolicy.failsOver(throttled)).isTrue();
    assertThat(ChargePolicy.failsOver(http503)).isTrue();
    assertThat(ChargePolicy.failsOver(noCredentials)).as("not retryable").isFalse();
    assertThat(ChargePolicy.failsOver(timeout)).isFalse();
    assertThat(ChargePolicy.failsOver(cut200)).isFalse();
    assertThat(ChargePolicy.failsOver(interrupted)).isFalse();
    assertThat(ChargePolicy.failsOver(new ProviderRejectedException(400, "bad"))).isFalse();
    assertThat(ChargePolicy.failsOver(new IllegalStateException("bug"))).isFalse();

    assertThat(ChargePolicy.failed(throttled))
        .isEqualTo(new Outcome.NotBilled("provider_throttled"));
    assertThat(ChargePolicy.failed(noCredentials))
        .isEqualTo(new Outcome.NotBilled("provider_unavailable"));
    assertThat(ChargePolicy.failed(new ProviderRejectedException(400, "bad")))
        .isEqualTo(new Outcome.NotBilled("provider_rejected"));
    assertThat(ChargePolicy.failed(new InvalidRequestException("unmappable", "tools")))
        .isInstanceOf(Outcome.NotBilled.class);
    assertThat(ChargePolicy.failed(timeout))
        .isEqualTo(new Outcome.MaybeBilled(Optional.empty(), "provider_timeout"));
    assertThat(ChargePolicy.failed(interrupted))
        .isEqualTo(new Outcome.MaybeBilled(Optional.empty(), "provider_unavailable"));
    assertThat(
            ChargePolicy.failed(
                new ProviderRejectedException(400, Billing.MAYBE_BILLED, "in-stream refusal")))
        .isEqualTo(new Outcome.MaybeBilled(Optional.empty(), "provider_rejected"));
    assertThat(ChargePolicy.failed(new IllegalStateException("bug")))
        .isEqualTo(new Outcome.MaybeBilled(Optional.empty(), "internal_error"));
  }

  private static Row row(Outcome o, Charge c) {
    return new Row(o, c);
  }

  private static Charge usage(SpendStatus status, String code) {
    return new Charge.Usage(REPORTED, status, Optional.ofNullable(code));
  }

  private static Charge worst(SpendStatus status, String code) {
    return new Charge.WorstCase(status, Optional.ofNullable(code));
  }

  private static Charge nothing(String code) {
    return new Charge.Nothing(SpendStatus.ERROR, Optional.of(code));
  }

  private static ProviderUnavailableException unavailable(
      Kind kind, Billing billing, boolean retryable) {
    return new ProviderUnavailableException(kind, billing, retryable, "x");
  }
}

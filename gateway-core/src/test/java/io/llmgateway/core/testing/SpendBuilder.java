package io.llmgateway.core.testing;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import java.time.Instant;
import java.util.Optional;

/** A successful request on model {@code model-cheap} that cost nothing, started and ended at T0. */
public final class SpendBuilder {
  private final String requestId;
  private final String keyId;
  private Optional<String> userId = Optional.empty();
  private Optional<String> teamId = Optional.empty();
  private String model = "model-cheap";
  private Optional<String> deploymentId = Optional.empty();
  private Optional<TokenUsage> usage = Optional.empty();
  private Money cost = Money.ZERO;
  private SpendStatus status = SpendStatus.SUCCESS;
  private Optional<String> errorCode = Optional.empty();
  private Instant startedAt = Fixtures.T0;
  private Instant endedAt = Fixtures.T0;

  SpendBuilder(String requestId, String keyId) {
    this.requestId = requestId;
    this.keyId = keyId;
  }

  public SpendBuilder user(String v) {
    userId = Optional.of(v);
    return this;
  }

  public SpendBuilder team(String v) {
    teamId = Optional.of(v);
    return this;
  }

  public SpendBuilder model(String v) {
    model = v;
    return this;
  }

  public SpendBuilder deployment(String v) {
    deploymentId = Optional.of(v);
    return this;
  }

  public SpendBuilder usage(long input, long output) {
    usage = Optional.of(TokenUsage.reported(input, output));
    return this;
  }

  public SpendBuilder cost(Money v) {
    cost = v;
    return this;
  }

  public SpendBuilder nanos(long v) {
    cost = Money.ofNanos(v);
    return this;
  }

  public SpendBuilder status(SpendStatus v) {
    status = v;
    return this;
  }

  public SpendBuilder errorCode(String v) {
    errorCode = Optional.of(v);
    return this;
  }

  public SpendBuilder started(Instant v) {
    startedAt = v;
    if (endedAt.isBefore(v)) {
      endedAt = v;
    }
    return this;
  }

  public SpendBuilder ended(Instant v) {
    endedAt = v;
    if (startedAt.isAfter(v)) {
      startedAt = v;
    }
    return this;
  }

  public SpendRecord build() {
    return new SpendRecord(
        requestId,
        keyId,
        userId,
        teamId,
        model,
        deploymentId,
        usage,
        cost,
        status,
        errorCode,
        Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli()),
        startedAt,
        endedAt);
  }

  /** The same request as a reservation's pending record (no usage, no cost yet). */
  public SpendRecord pending() {
    return new SpendRecord(
        requestId,
        keyId,
        userId,
        teamId,
        model,
        deploymentId,
        Optional.empty(),
        Money.ZERO,
        SpendStatus.PENDING,
        Optional.empty(),
        0,
        startedAt,
        startedAt);
  }
}

package io.llmgateway.core.spend;

import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the spend log: who asked, which model answered, tokens, cost and outcome. Never holds
 * a prompt, a completion or a key. Immutable and thread-safe.
 */
public record SpendRecord(
    String requestId,
    String keyId,
    Optional<String> userId,
    Optional<String> teamId,
    String model,
    Optional<String> deploymentId,
    Optional<TokenUsage> usage,
    Money cost,
    SpendStatus status,
    Optional<String> errorCode,
    long latencyMillis,
    Instant startedAt,
    Instant endedAt) {

  public SpendRecord {
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(teamId, "teamId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(deploymentId, "deploymentId");
    Objects.requireNonNull(usage, "usage");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(errorCode, "errorCode");
    if (latencyMillis < 0) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
  }

  /** The same record, finished with an outcome. */
  public SpendRecord finish(
      Optional<TokenUsage> usage,
      Money cost,
      SpendStatus status,
      Optional<String> errorCode,
      Instant endedAt) {
    long latency = Math.max(0, endedAt.toEpochMilli() - startedAt.toEpochMilli());
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
        latency,
        startedAt,
        endedAt);
  }

  /** The same record under another request id and model (what a budget lease's row names). */
  public SpendRecord withRequest(String requestId, String model) {
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
        latencyMillis,
        startedAt,
        endedAt);
  }

  public SpendRecord withDeployment(String deploymentId) {
    return new SpendRecord(
        requestId,
        keyId,
        userId,
        teamId,
        model,
        Optional.of(deploymentId),
        usage,
        cost,
        status,
        errorCode,
        latencyMillis,
        startedAt,
        endedAt);
  }
}

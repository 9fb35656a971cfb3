package io.llmgateway.core.requestlog;

import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of the request log: an admitted request (from the spend log) or a refused one (from the
 * {@link RefusalLog}). Never holds a prompt, a completion, a key or a key's hash. Immutable and
 * thread-safe.
 *
 * @param at when it ended (admitted) or was refused
 * @param outcome {@code refused}, or the spend status of an admitted request ({@code success},
 *     {@code error}, {@code cancelled}, {@code expired})
 * @param httpStatus the status a refused request was answered with (admitted: empty)
 * @param reason the refusal's error code, or an admitted request's error code (upstream failures)
 * @param detail which limit refused it ({@code daily user budget}, {@code rpm key})
 * @param key how to show the key: its alias, else its display prefix, else its id; {@code -} for a
 *     request without a known key
 */
public record RequestLogEntry(
    Instant at,
    String requestId,
    String outcome,
    Optional<Integer> httpStatus,
    Optional<String> reason,
    Optional<String> detail,
    Optional<String> keyId,
    String key,
    Optional<String> userId,
    Optional<String> teamId,
    Optional<String> model,
    Optional<Long> inputTokens,
    Optional<Long> outputTokens,
    Money cost,
    long latencyMillis,
    Optional<String> client) {

  public RequestLogEntry {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(httpStatus, "httpStatus");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(detail, "detail");
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(teamId, "teamId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(inputTokens, "inputTokens");
    Objects.requireNonNull(outputTokens, "outputTokens");
    Objects.requireNonNull(cost, "cost");
    Objects.requireNonNull(client, "client");
  }

  public boolean admitted() {
    return !outcome.equals("refused");
  }
}

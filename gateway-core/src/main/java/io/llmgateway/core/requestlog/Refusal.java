package io.llmgateway.core.requestlog;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One refused request: a chat request the gateway answered with an error before admitting it (no
 * reservation, no spend row). It names who asked as far as that is known and why it was refused;
 * never a prompt, a key or a key's hash. A request refused for an unknown or missing key has no
 * key, user or team, only the client address. Immutable and thread-safe.
 *
 * @param requestId the id the client saw ({@code x-request-id}, or the completion id)
 * @param at when the refusal was answered
 * @param status the HTTP status sent (400 to 599)
 * @param reason the error code sent, e.g. {@code budget_exceeded}, {@code rate_limit_exceeded},
 *     {@code model_not_allowed}, {@code blocked_api_key}, {@code invalid_api_key}
 * @param detail which limit refused it, e.g. {@code daily user budget} or {@code rpm key}
 * @param client the client's address as the server judged it (trusted proxies honoured)
 * @param latencyMillis from the request's arrival to its answer
 */
public record Refusal(
    String requestId,
    Instant at,
    int status,
    String reason,
    Optional<String> detail,
    Optional<String> keyId,
    Optional<String> userId,
    Optional<String> teamId,
    Optional<String> model,
    Optional<String> client,
    long latencyMillis) {

  /** Longest text kept in any field; longer values (a hostile model name) are cut. */
  public static final int MAX_TEXT = 256;

  private static final Pattern REASON = Pattern.compile("[a-z0-9_]{1,64}");

  public Refusal {
    requestId = clip(Objects.requireNonNull(requestId, "requestId"));
    if (requestId.isEmpty()) {
      throw new IllegalArgumentException("refusal needs a request id");
    }
    Objects.requireNonNull(at, "at");
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("refusal status must be 400 to 599");
    }
    if (reason == null || !REASON.matcher(reason).matches()) {
      throw new IllegalArgumentException("refusal reason must be a short snake_case code");
    }
    detail = clip(detail, "detail");
    keyId = clip(keyId, "keyId");
    userId = clip(userId, "userId");
    teamId = clip(teamId, "teamId");
    model = clip(model, "model");
    client = clip(client, "client");
    if (latencyMillis < 0) {
      throw new IllegalArgumentException("latency must not be negative");
    }
  }

  private static Optional<String> clip(Optional<String> v, String name) {
    return Objects.requireNonNull(v, name).map(Refusal::clip).filter(s -> !s.isEmpty());
  }

  private static String clip(String s) {
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT);
  }
}

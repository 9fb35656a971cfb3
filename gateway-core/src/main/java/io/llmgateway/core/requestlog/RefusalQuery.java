package io.llmgateway.core.requestlog;

import io.llmgateway.core.PageRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters for reading refusals, newest first; always paged. {@code from} is inclusive, {@code to}
 * exclusive. Immutable and thread-safe.
 */
public record RefusalQuery(
    Optional<String> keyId,
    Optional<String> userId,
    Optional<String> teamId,
    Optional<String> model,
    Optional<String> reason,
    Optional<Instant> from,
    Optional<Instant> to,
    PageRequest page) {
  public RefusalQuery {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(teamId, "teamId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(page, "page");
  }

  public static RefusalQuery all(PageRequest page) {
    return new RefusalQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        page);
  }
}

package io.llmgateway.core.spend;

import io.llmgateway.core.PageRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** Filters for reading the spend log; always paged. Immutable and thread-safe. */
public record SpendQuery(
    Optional<String> keyId,
    Optional<String> userId,
    Optional<String> teamId,
    Optional<String> model,
    Optional<String> requestId,
    Optional<Instant> from,
    Optional<Instant> to,
    PageRequest page) {
  public SpendQuery {
    Objects.requireNonNull(keyId);
    Objects.requireNonNull(userId);
    Objects.requireNonNull(teamId);
    Objects.requireNonNull(model);
    Objects.requireNonNull(requestId);
    Objects.requireNonNull(from);
    Objects.requireNonNull(to);
    Objects.requireNonNull(page);
  }

  public static SpendQuery all(PageRequest page) {
    return new SpendQuery(
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

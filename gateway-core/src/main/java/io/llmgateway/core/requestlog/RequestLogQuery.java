package io.llmgateway.core.requestlog;

import io.llmgateway.core.PageRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters for the request log (admitted and refused requests together), newest first; always paged.
 * {@code from} is inclusive, {@code to} exclusive. A {@code reason} reads refusals with that code
 * only. Immutable and thread-safe.
 */
public record RequestLogQuery(
    Optional<String> keyId,
    Optional<String> userId,
    Optional<String> teamId,
    Optional<String> model,
    Show show,
    Optional<String> reason,
    Optional<Instant> from,
    Optional<Instant> to,
    PageRequest page) {

  /** Which requests to list. */
  public enum Show {
    ALL,
    ADMITTED,
    REFUSED
  }

  public RequestLogQuery {
    Objects.requireNonNull(keyId, "keyId");
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(teamId, "teamId");
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(show, "show");
    Objects.requireNonNull(reason, "reason");
    if (reason.isPresent() && show != Show.REFUSED) {
      throw new IllegalArgumentException("a refusal reason filter lists refused requests only");
    }
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(page, "page");
  }

  public static RequestLogQuery all(PageRequest page) {
    return new RequestLogQuery(
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Show.ALL,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        page);
  }
}

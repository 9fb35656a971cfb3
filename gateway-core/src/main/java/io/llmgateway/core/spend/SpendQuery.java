package io.llmgateway.core.spend;

import io.llmgateway.core.PageRequest;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters for reading the spend log; always paged. Build one with {@link #builder(PageRequest)}
 * (named setters, so two filters of the same type cannot be swapped). Immutable and thread-safe.
 */
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
    return builder(page).build();
  }

  /** A query for {@code page} with no filter; each setter narrows it. */
  public static Builder builder(PageRequest page) {
    return new Builder(page);
  }

  /** A builder holding this query's filters and page, to build a copy with some of them changed. */
  public Builder toBuilder() {
    return builder(page)
        .keyId(keyId)
        .userId(userId)
        .teamId(teamId)
        .model(model)
        .requestId(requestId)
        .from(from)
        .to(to);
  }

  /**
   * Builds a {@link SpendQuery}; unset filters are empty (no filter). The {@code Optional} setters
   * are for callers that pass a filter through (HTTP parameters, an admin's scope). Not
   * thread-safe.
   */
  public static final class Builder {
    private Optional<String> keyId = Optional.empty();
    private Optional<String> userId = Optional.empty();
    private Optional<String> teamId = Optional.empty();
    private Optional<String> model = Optional.empty();
    private Optional<String> requestId = Optional.empty();
    private Optional<Instant> from = Optional.empty();
    private Optional<Instant> to = Optional.empty();
    private PageRequest page;

    private Builder(PageRequest page) {
      this.page = Objects.requireNonNull(page, "page");
    }

    public Builder keyId(String v) {
      return keyId(Optional.of(v));
    }

    public Builder keyId(Optional<String> v) {
      keyId = Objects.requireNonNull(v, "keyId");
      return this;
    }

    public Builder userId(String v) {
      return userId(Optional.of(v));
    }

    public Builder userId(Optional<String> v) {
      userId = Objects.requireNonNull(v, "userId");
      return this;
    }

    public Builder teamId(String v) {
      return teamId(Optional.of(v));
    }

    public Builder teamId(Optional<String> v) {
      teamId = Objects.requireNonNull(v, "teamId");
      return this;
    }

    public Builder model(String v) {
      return model(Optional.of(v));
    }

    public Builder model(Optional<String> v) {
      model = Objects.requireNonNull(v, "model");
      return this;
    }

    public Builder requestId(String v) {
      return requestId(Optional.of(v));
    }

    public Builder requestId(Optional<String> v) {
      requestId = Objects.requireNonNull(v, "requestId");
      return this;
    }

    /** Records that ended at or after {@code v}. */
    public Builder from(Instant v) {
      return from(Optional.of(v));
    }

    public Builder from(Optional<Instant> v) {
      from = Objects.requireNonNull(v, "from");
      return this;
    }

    /** Records that ended before {@code v}. */
    public Builder to(Instant v) {
      return to(Optional.of(v));
    }

    public Builder to(Optional<Instant> v) {
      to = Objects.requireNonNull(v, "to");
      return this;
    }

    public Builder page(PageRequest v) {
      page = Objects.requireNonNull(v, "page");
      return this;
    }

    public SpendQuery build() {
      return new SpendQuery(keyId, userId, teamId, model, requestId, from, to, page);
    }
  }
}

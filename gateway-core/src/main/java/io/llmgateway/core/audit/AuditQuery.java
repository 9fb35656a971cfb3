package io.llmgateway.core.audit;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.TextSearch;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters and order for listing the audit log: optional target type, actor and action (each matched
 * exactly), an optional search text (a substring of the actor, action or target id,
 * case-insensitive, wildcards taken literally, see {@link TextSearch}), an optional time range
 * ({@code from} inclusive, {@code to} exclusive) and a sort from {@link By} (by default newest
 * first). Events that tie on the sort field come newest first (append order), so pages are stable.
 * Immutable and thread-safe.
 */
public record AuditQuery(
    Optional<String> targetType,
    Optional<String> actor,
    Optional<String> action,
    Optional<String> search,
    Optional<Instant> from,
    Optional<Instant> to,
    Sort<AuditQuery.By> sort,
    PageRequest page) {

  /** What the audit log can be ordered by: the allow-list every store maps to its own columns. */
  public enum By {
    TIME,
    ACTOR,
    ACTION,
    /** The target type, then the target id. */
    TARGET
  }

  public AuditQuery {
    targetType = blankless(targetType, "targetType");
    actor = blankless(actor, "actor");
    action = blankless(action, "action");
    search = TextSearch.of(Objects.requireNonNull(search, "search"));
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    Objects.requireNonNull(sort, "sort");
    Objects.requireNonNull(page, "page");
    if (from.isPresent() && to.isPresent() && to.get().isBefore(from.get())) {
      throw new InvalidRequestException("the end of the time range is before its start", "to");
    }
  }

  private static Optional<String> blankless(Optional<String> v, String name) {
    return Objects.requireNonNull(v, name).map(String::strip).filter(s -> !s.isEmpty());
  }

  /** Every event, newest first. */
  public static AuditQuery all(PageRequest page) {
    return builder(page).build();
  }

  /** Events about one target type (or all), newest first: what the old port listed. */
  public static AuditQuery ofType(Optional<String> targetType, PageRequest page) {
    return builder(page).targetType(targetType).build();
  }

  /** True if {@code e} passes every filter and the search. */
  public boolean matches(AuditEvent e) {
    return (targetType.isEmpty() || targetType.get().equals(e.targetType()))
        && (actor.isEmpty() || actor.get().equals(e.actor()))
        && (action.isEmpty() || action.get().equals(e.action()))
        && (from.isEmpty() || !e.at().isBefore(from.get()))
        && (to.isEmpty() || e.at().isBefore(to.get()))
        && (search.isEmpty()
            || TextSearch.matches(Optional.of(e.actor()), search.get())
            || TextSearch.matches(Optional.of(e.action()), search.get())
            || TextSearch.matches(Optional.of(e.targetId()), search.get()));
  }

  public static Builder builder(PageRequest page) {
    return new Builder(page);
  }

  /** Builds a query; unset parts mean no filter, newest first. Not thread-safe. */
  public static final class Builder {
    private Optional<String> targetType = Optional.empty();
    private Optional<String> actor = Optional.empty();
    private Optional<String> action = Optional.empty();
    private Optional<String> search = Optional.empty();
    private Optional<Instant> from = Optional.empty();
    private Optional<Instant> to = Optional.empty();
    private Sort<By> sort = Sort.desc(By.TIME);
    private final PageRequest page;

    private Builder(PageRequest page) {
      this.page = page;
    }

    public Builder targetType(Optional<String> v) {
      targetType = v;
      return this;
    }

    public Builder actor(Optional<String> v) {
      actor = v;
      return this;
    }

    public Builder action(Optional<String> v) {
      action = v;
      return this;
    }

    public Builder search(Optional<String> v) {
      search = v;
      return this;
    }

    public Builder from(Optional<Instant> v) {
      from = v;
      return this;
    }

    public Builder to(Optional<Instant> v) {
      to = v;
      return this;
    }

    public Builder sort(Sort<By> v) {
      sort = v;
      return this;
    }

    public AuditQuery build() {
      return new AuditQuery(targetType, actor, action, search, from, to, sort, page);
    }
  }
}

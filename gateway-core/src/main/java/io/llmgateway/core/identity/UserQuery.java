package io.llmgateway.core.identity;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters and order for listing users: an optional team, an optional search text (a substring of
 * the id, email or alias, case-insensitive, see {@link TextSearch}), a sort from {@link By} (by
 * default the id), and for {@link By#SPEND} the instant from which spend is summed. Immutable and
 * thread-safe.
 */
public record UserQuery(
    Optional<String> teamId,
    Optional<String> search,
    Sort<UserQuery.By> sort,
    Instant spendSince,
    PageRequest page) {

  /** What users can be ordered by: the allow-list every store maps to its own columns. */
  public enum By {
    ID,
    EMAIL,
    ALIAS,
    TEAM,
    ROLE,
    CREATED,
    /** The cost of the user's spend-log rows that ended at or after {@link #spendSince}. */
    SPEND
  }

  public UserQuery {
    Objects.requireNonNull(teamId, "teamId");
    search = TextSearch.of(Objects.requireNonNull(search, "search"));
    Objects.requireNonNull(sort, "sort");
    Objects.requireNonNull(spendSince, "spendSince");
    Objects.requireNonNull(page, "page");
  }

  /** Every user, by id. */
  public static UserQuery all(PageRequest page) {
    return builder(page).build();
  }

  /** True if there is no search text or {@code u}'s id, email or alias contains it. */
  public boolean matchesSearch(User u) {
    return search.isEmpty()
        || TextSearch.matches(Optional.of(u.id()), search.get())
        || TextSearch.matches(u.email(), search.get())
        || TextSearch.matches(u.alias(), search.get());
  }

  /** A query for {@code page} with no filter, by id; each setter narrows or orders it. */
  public static Builder builder(PageRequest page) {
    return new Builder(page);
  }

  /** A builder holding this query's filters, order and page, to build a copy with some changed. */
  public Builder toBuilder() {
    return builder(page).team(teamId).search(search).sort(sort).spendSince(spendSince);
  }

  /**
   * Builds a {@link UserQuery}; unset filters are empty (no filter), the order by id. The {@code
   * Optional} setters are for callers that pass a filter through (HTTP parameters, an admin's
   * scope). Not thread-safe.
   */
  public static final class Builder {
    private Optional<String> team = Optional.empty();
    private Optional<String> search = Optional.empty();
    private Sort<By> sort = Sort.asc(By.ID);
    private Instant spendSince = Instant.EPOCH;
    private PageRequest page;

    private Builder(PageRequest page) {
      this.page = Objects.requireNonNull(page, "page");
    }

    /** Users of this team id. */
    public Builder team(String v) {
      return team(Optional.of(v));
    }

    public Builder team(Optional<String> v) {
      team = Objects.requireNonNull(v, "team");
      return this;
    }

    /** Users whose id, email or alias contains this text (see {@link TextSearch}). */
    public Builder search(String v) {
      return search(Optional.of(v));
    }

    public Builder search(Optional<String> v) {
      search = Objects.requireNonNull(v, "search");
      return this;
    }

    public Builder sort(Sort<By> v) {
      sort = Objects.requireNonNull(v, "sort");
      return this;
    }

    /** For {@link By#SPEND}: spend is summed from this instant on. */
    public Builder spendSince(Instant v) {
      spendSince = Objects.requireNonNull(v, "spendSince");
      return this;
    }

    public Builder page(PageRequest v) {
      page = Objects.requireNonNull(v, "page");
      return this;
    }

    public UserQuery build() {
      return new UserQuery(team, search, sort, spendSince, page);
    }
  }
}

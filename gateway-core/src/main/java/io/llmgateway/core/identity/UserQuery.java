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

  /** Users of a team (or all), by id. */
  public UserQuery(Optional<String> teamId, PageRequest page) {
    this(teamId, Optional.empty(), Sort.asc(By.ID), Instant.EPOCH, page);
  }

  public static UserQuery all(PageRequest page) {
    return new UserQuery(Optional.empty(), page);
  }

  /** True if there is no search text or {@code u}'s id, email or alias contains it. */
  public boolean matchesSearch(User u) {
    return search.isEmpty()
        || TextSearch.matches(Optional.of(u.id()), search.get())
        || TextSearch.matches(u.email(), search.get())
        || TextSearch.matches(u.alias(), search.get());
  }

  /** The same query for another team filter (how the admin service scopes a team admin). */
  public UserQuery withPage(PageRequest value) {
    return new UserQuery(teamId, search, sort, spendSince, value);
  }

  public UserQuery withTeam(Optional<String> team) {
    return new UserQuery(team, search, sort, spendSince, page);
  }

  public static Builder builder(PageRequest page) {
    return new Builder(page);
  }

  /** Builds a query; unset parts mean no filter, order by id. Not thread-safe. */
  public static final class Builder {
    private Optional<String> team = Optional.empty();
    private Optional<String> search = Optional.empty();
    private Sort<By> sort = Sort.asc(By.ID);
    private Instant spendSince = Instant.EPOCH;
    private final PageRequest page;

    private Builder(PageRequest page) {
      this.page = page;
    }

    public Builder team(Optional<String> v) {
      team = v;
      return this;
    }

    public Builder search(Optional<String> v) {
      search = v;
      return this;
    }

    public Builder sort(Sort<By> v) {
      sort = v;
      return this;
    }

    public Builder spendSince(Instant v) {
      spendSince = v;
      return this;
    }

    public UserQuery build() {
      return new UserQuery(team, search, sort, spendSince, page);
    }
  }
}

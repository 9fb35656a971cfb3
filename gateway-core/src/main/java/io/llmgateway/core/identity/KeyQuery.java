package io.llmgateway.core.identity;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Sort;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Filters and order for listing keys: optional user, team and exact alias, an optional search text
 * (a substring of the id, alias, display prefix or user id, case-insensitive, see {@link
 * TextSearch}), a sort from {@link By} (by default oldest first), and for {@link By#SPEND} the
 * instant from which spend is summed. Immutable and thread-safe.
 */
public record KeyQuery(
    Optional<String> userId,
    Optional<String> teamId,
    Optional<String> alias,
    Optional<String> search,
    Sort<KeyQuery.By> sort,
    Instant spendSince,
    PageRequest page) {

  /** What keys can be ordered by: the allow-list every store maps to its own columns. */
  public enum By {
    CREATED,
    ALIAS,
    USER,
    TEAM,
    STATUS,
    EXPIRES,
    /** The cost of the key's spend-log rows that ended at or after {@link #spendSince}. */
    SPEND
  }

  public KeyQuery {
    Objects.requireNonNull(userId, "userId");
    Objects.requireNonNull(teamId, "teamId");
    Objects.requireNonNull(alias, "alias");
    search = TextSearch.of(Objects.requireNonNull(search, "search"));
    Objects.requireNonNull(sort, "sort");
    Objects.requireNonNull(spendSince, "spendSince");
    Objects.requireNonNull(page, "page");
  }

  /** Keys by user, team and alias (each optional), oldest first. */
  public KeyQuery(
      Optional<String> userId, Optional<String> teamId, Optional<String> alias, PageRequest page) {
    this(userId, teamId, alias, Optional.empty(), Sort.asc(By.CREATED), Instant.EPOCH, page);
  }

  public static KeyQuery all(PageRequest page) {
    return new KeyQuery(Optional.empty(), Optional.empty(), Optional.empty(), page);
  }

  /** True if there is no search text or {@code k}'s id, alias, prefix or user id contains it. */
  public boolean matchesSearch(VirtualKey k) {
    return search.isEmpty()
        || TextSearch.matches(Optional.of(k.id()), search.get())
        || TextSearch.matches(k.alias(), search.get())
        || TextSearch.matches(Optional.of(k.displayPrefix()), search.get())
        || TextSearch.matches(k.userId(), search.get());
  }

  /** The same query for another team filter (how the admin service scopes a team admin). */
  public KeyQuery withUser(Optional<String> user) {
    return new KeyQuery(user, teamId, alias, search, sort, spendSince, page);
  }

  public KeyQuery withPage(PageRequest value) {
    return new KeyQuery(userId, teamId, alias, search, sort, spendSince, value);
  }

  public KeyQuery withTeam(Optional<String> team) {
    return new KeyQuery(userId, team, alias, search, sort, spendSince, page);
  }

  public static Builder builder(PageRequest page) {
    return new Builder(page);
  }

  /** Builds a query; unset parts mean no filter, oldest first. Not thread-safe. */
  public static final class Builder {
    private Optional<String> user = Optional.empty();
    private Optional<String> team = Optional.empty();
    private Optional<String> search = Optional.empty();
    private Sort<By> sort = Sort.asc(By.CREATED);
    private Instant spendSince = Instant.EPOCH;
    private final PageRequest page;

    private Builder(PageRequest page) {
      this.page = page;
    }

    public Builder user(Optional<String> v) {
      user = v;
      return this;
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

    public KeyQuery build() {
      return new KeyQuery(user, team, Optional.empty(), search, sort, spendSince, page);
    }
  }
}

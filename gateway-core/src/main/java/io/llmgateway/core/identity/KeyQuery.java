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

  /** Every key, oldest first. */
  public static KeyQuery all(PageRequest page) {
    return builder(page).build();
  }

  /** True if there is no search text or {@code k}'s id, alias, prefix or user id contains it. */
  public boolean matchesSearch(VirtualKey k) {
    return search.isEmpty()
        || TextSearch.matches(Optional.of(k.id()), search.get())
        || TextSearch.matches(k.alias(), search.get())
        || TextSearch.matches(Optional.of(k.displayPrefix()), search.get())
        || TextSearch.matches(k.userId(), search.get());
  }

  /** A query for {@code page} with no filter, oldest first; each setter narrows or orders it. */
  public static Builder builder(PageRequest page) {
    return new Builder(page);
  }

  /** A builder holding this query's filters, order and page, to build a copy with some changed. */
  public Builder toBuilder() {
    return builder(page)
        .user(userId)
        .team(teamId)
        .alias(alias)
        .search(search)
        .sort(sort)
        .spendSince(spendSince);
  }

  /**
   * Builds a {@link KeyQuery}; unset filters are empty (no filter), the order oldest first. The
   * {@code Optional} setters are for callers that pass a filter through (HTTP parameters, an
   * admin's scope). Not thread-safe.
   */
  public static final class Builder {
    private Optional<String> user = Optional.empty();
    private Optional<String> team = Optional.empty();
    private Optional<String> alias = Optional.empty();
    private Optional<String> search = Optional.empty();
    private Sort<By> sort = Sort.asc(By.CREATED);
    private Instant spendSince = Instant.EPOCH;
    private PageRequest page;

    private Builder(PageRequest page) {
      this.page = Objects.requireNonNull(page, "page");
    }

    /** Keys of this user id. */
    public Builder user(String v) {
      return user(Optional.of(v));
    }

    public Builder user(Optional<String> v) {
      user = Objects.requireNonNull(v, "user");
      return this;
    }

    /** Keys of this team id. */
    public Builder team(String v) {
      return team(Optional.of(v));
    }

    public Builder team(Optional<String> v) {
      team = Objects.requireNonNull(v, "team");
      return this;
    }

    /** The key with exactly this alias. */
    public Builder alias(String v) {
      return alias(Optional.of(v));
    }

    public Builder alias(Optional<String> v) {
      alias = Objects.requireNonNull(v, "alias");
      return this;
    }

    /**
     * Keys whose id, alias, display prefix or user id contains this text (see {@link TextSearch}).
     */
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

    public KeyQuery build() {
      return new KeyQuery(user, team, alias, search, sort, spendSince, page);
    }
  }
}

package io.llmgateway.core.spend;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which spend rows a report may add up: all of them (proxy admins and viewers), those of some teams
 * (a team admin's), or one user's (self-service). Immutable and thread-safe.
 *
 * @param teamIds when present, only rows of these teams (an empty set: no rows)
 * @param userId when present, only rows of this user
 */
public record SpendScope(Optional<Set<String>> teamIds, Optional<String> userId) {
  public static final SpendScope ALL = new SpendScope(Optional.empty(), Optional.empty());

  public SpendScope {
    Objects.requireNonNull(teamIds, "teamIds");
    teamIds = teamIds.map(Set::copyOf);
    Objects.requireNonNull(userId, "userId");
  }

  public static SpendScope teams(Set<String> teamIds) {
    return new SpendScope(Optional.of(teamIds), Optional.empty());
  }

  public static SpendScope user(String userId) {
    return new SpendScope(Optional.empty(), Optional.of(userId));
  }

  /** True when {@code record} is within this scope. */
  public boolean includes(SpendRecord record) {
    return teamIds.map(t -> record.teamId().map(t::contains).orElse(false)).orElse(true)
        && userId.map(u -> record.userId().equals(Optional.of(u))).orElse(true);
  }
}

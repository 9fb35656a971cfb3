package io.llmgateway.core.identity;

import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a person signed in to the admin UI may do: a named operator (break-glass password or single
 * sign-on with a role from the groups claim) or an employee in self-service. One sealed type, so
 * every place that decides on rights handles every kind ({@code switch} without a default).
 * Immutable and thread-safe.
 */
public sealed interface Grant {

  /** Everything the master key may do. */
  record ProxyAdmin() implements Grant {}

  /** Reads everything a proxy admin reads; changes nothing. */
  record Viewer() implements Grant {}

  /**
   * Administers the named teams as a team-admin key administers its one team: their users and LLM
   * keys, within the team's models and member budgets.
   *
   * @param teamIds the teams, at least one
   */
  record TeamAdmin(Set<String> teamIds) implements Grant {
    public TeamAdmin {
      Objects.requireNonNull(teamIds, "teamIds");
      if (teamIds.isEmpty()) {
        throw new IllegalArgumentException("a team admin grant names at least one team");
      }
      teamIds.forEach(t -> Objects.requireNonNull(t, "team id"));
      // Sorted, so it is stored, shown and compared in one order.
      teamIds = Collections.unmodifiableSortedSet(new TreeSet<>(teamIds));
    }
  }

  /**
   * Self-service: an employee acting as their own gateway user: reads their own user, keys, budgets
   * and spend, and creates, rotates and revokes their own LLM keys within their tier's limits.
   *
   * @param userId the gateway user the person signed in as
   */
  record Member(String userId) implements Grant {
    public Member {
      if (userId == null || userId.isBlank()) {
        throw new IllegalArgumentException("a member grant names its user");
      }
    }
  }

  /** The role's stored and shown name: {@code proxy_admin}, {@code viewer}, ... */
  default String role() {
    return switch (this) {
      case ProxyAdmin p -> "proxy_admin";
      case Viewer v -> "viewer";
      case TeamAdmin t -> "team_admin";
      case Member m -> "member";
    };
  }

  /**
   * The rights used to rank what this person may change ({@link Rights}); a viewer ranks as a user
   * and is further refused every change by the admin service.
   */
  default Rights rights() {
    return switch (this) {
      case ProxyAdmin p -> Rights.PROXY_ADMIN;
      case TeamAdmin t -> Rights.TEAM_ADMIN;
      case Viewer v -> Rights.USER;
      case Member m -> Rights.USER;
    };
  }
}

package io.llmgateway.core.admin;

import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Rights;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.VirtualKey;
import java.util.Optional;
import java.util.Set;

/**
 * Who may do what, in one place. Rights come from {@link Rights#of} (key type and user role
 * together) or a person's {@link Grant}. The master key, proxy-admin credentials and proxy-admin
 * persons may do everything; a viewer reads what a proxy admin reads and changes nothing; a team
 * admin (a key of its one team, or a person of the teams in its grant) manages those teams' users
 * and LLM keys; an LLM key reads only its own key, user and spend; a member (self-service) reads
 * its own user, keys, budgets and spend and creates, rotates and revokes its own LLM keys.
 *
 * <p>Two questions, asked in this order: may the caller <em>see</em> an object (else it is "not
 * found", answered exactly like a missing one, so answers reveal nothing of other teams or users),
 * and may it <em>change</em> it: a caller never creates, moves, rotates, edits or deletes a
 * credential or user whose rights are above its own. A team admin changes only objects ranked
 * {@code USER}, plus its own key and its own user. Before either, every write passes the write gate
 * ({@link #requireMayWrite}, {@link #requireAdministers}): a viewer changes nothing, a member only
 * its own keys.
 */
final class Access {
  private Access() {}

  static String actorName(Principal actor) {
    return switch (actor) {
      case Principal.Master m -> m.name();
      case Principal.Keyed k -> k.key().id();
      case Principal.Person p -> p.name();
    };
  }

  /** True for callers that read everything a proxy admin reads: proxy admins and viewers. */
  static boolean readsAll(Principal actor) {
    return actor.isProxyAdmin()
        || (actor instanceof Principal.Person p && p.grant() instanceof Grant.Viewer);
  }

  static void requireProxyAdmin(Principal actor, String action) {
    if (!actor.isProxyAdmin()) {
      throw denied(actor, action);
    }
  }

  /** Reads that only proxy admins and viewers make (the audit log, reports across teams). */
  static void requireReadsAll(Principal actor, String action) {
    if (!readsAll(actor)) {
      throw denied(actor, action);
    }
  }

  /**
   * The write gate for self-service writes (a key's create, rotate, block, delete): refuses a
   * viewer, lets everyone else on to the object's rules.
   */
  static void requireMayWrite(Principal actor, String action) {
    if (actor instanceof Principal.Person p && p.grant() instanceof Grant.Viewer) {
      throw denied(actor, action);
    }
  }

  /**
   * The write gate for administration (teams, users, models, operators, editing a key's settings,
   * unblocking): refuses a viewer and a member; keys go on to the object's rules.
   */
  static void requireAdministers(Principal actor, String action) {
    requireMayWrite(actor, action);
    if (selfUser(actor).isPresent()) {
      throw denied(actor, action);
    }
  }

  /**
   * The teams a team-admin credential administers: a team-admin key's one team, a team-admin
   * person's teams; empty for every other caller.
   */
  static Set<String> adminTeams(Principal actor) {
    return switch (actor) {
      case Principal.Keyed k when actor.rights() == Rights.TEAM_ADMIN ->
          k.team().map(Team::id).or(() -> k.key().teamId()).map(Set::of).orElse(Set.of());
      case Principal.Person p when p.grant() instanceof Grant.TeamAdmin t -> t.teamIds();
      default -> Set.of();
    };
  }

  /** The team a team admin acts on when it names none: its only team; empty if it has several. */
  static Optional<String> defaultTeam(Principal actor) {
    Set<String> teams = adminTeams(actor);
    return teams.size() == 1 ? Optional.of(teams.iterator().next()) : Optional.empty();
  }

  /** True for proxy admins and for an admin of {@code teamId}. */
  static boolean managesTeam(Principal actor, Optional<String> teamId) {
    return actor.isProxyAdmin() || (teamId.isPresent() && adminTeams(actor).contains(teamId.get()));
  }

  /** True for the readers of everything and for an admin of {@code teamId}. */
  static boolean seesTeam(Principal actor, Optional<String> teamId) {
    return readsAll(actor) || managesTeam(actor, teamId);
  }

  /**
   * May {@code actor} create or change keys of user {@code userId} in {@code teamId}: proxy admins,
   * the team's admins, and a member for its own user.
   */
  static boolean managesKeysOf(Principal actor, Optional<String> teamId, Optional<String> userId) {
    return managesTeam(actor, teamId)
        || (selfUser(actor).isPresent() && selfUser(actor).equals(userId));
  }

  static void requireManagesTeam(Principal actor, Optional<String> teamId, String action) {
    if (!managesTeam(actor, teamId)) {
      throw denied(actor, action);
    }
  }

  /**
   * May {@code actor} see {@code key} of {@code teamId}: its own key always, a member every key of
   * its own user.
   */
  static boolean seesKey(Principal actor, VirtualKey key, Optional<String> teamId) {
    return ownKeyId(actor).equals(Optional.of(key.id()))
        || (selfUser(actor).isPresent() && selfUser(actor).equals(key.userId()))
        || seesTeam(actor, teamId);
  }

  /** May {@code actor} see a user of {@code teamId} (its own user always)? */
  static boolean seesUser(Principal actor, String userId, Optional<String> teamId) {
    return ownUserId(actor).equals(Optional.of(userId)) || seesTeam(actor, teamId);
  }

  /**
   * The rule of issue 15, finding 1: {@code actor} may change a target ranked {@code target} only
   * if that is not above its own rights; a team admin, further, only user-level targets and itself
   * (it does not manage its fellow team admins); a member only itself (its own keys).
   */
  static void requireMayChange(Principal actor, Rights target, boolean self, String action) {
    Rights own = actor.rights();
    boolean allowed =
        own == Rights.PROXY_ADMIN || self || (own == Rights.TEAM_ADMIN && target == Rights.USER);
    if (!allowed || target.above(own)) {
      throw denied(actor, action);
    }
  }

  static Optional<String> ownKeyId(Principal actor) {
    return actor instanceof Principal.Keyed k ? Optional.of(k.key().id()) : Optional.empty();
  }

  /** The caller's own user: an LLM or team-admin key's user, a member's user. */
  static Optional<String> ownUserId(Principal actor) {
    return switch (actor) {
      case Principal.Keyed k -> k.key().userId();
      case Principal.Person p -> selfUser(p);
      case Principal.Master m -> Optional.empty();
    };
  }

  /** The user a member (self-service) acts as; empty for every other caller. */
  static Optional<String> selfUser(Principal actor) {
    return actor instanceof Principal.Person p && p.grant() instanceof Grant.Member m
        ? Optional.of(m.userId())
        : Optional.empty();
  }

  /** Refused, in words naming who was refused ("this key may not", "a viewer may not", ...). */
  static PermissionDeniedException denied(Principal actor, String action) {
    String who =
        switch (actor) {
          case Principal.Person p ->
              switch (p.grant()) {
                case Grant.ProxyAdmin g -> "a proxy admin";
                case Grant.Viewer g -> "a viewer";
                case Grant.TeamAdmin g -> "a team admin";
                case Grant.Member g -> "a member";
              };
          case Principal.Keyed k -> "this key";
          case Principal.Master m -> "this key";
        };
    return new PermissionDeniedException(who + " may not " + action);
  }
}

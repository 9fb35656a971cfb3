package io.llmgateway.core.admin;

import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Rights;
import io.llmgateway.core.identity.Team;
import java.util.Optional;

/**
 * Who may do what, in one place. Rights come from {@link Rights#of} (key type and user role
 * together). The master key and proxy-admin credentials may do everything; a team admin manages its
 * own team's users and LLM keys; an LLM key reads only its own key, user and spend.
 *
 * <p>Two questions, asked in this order: may the caller <em>see</em> an object (else it is "not
 * found", answered exactly like a missing one, so answers reveal nothing of other teams), and may
 * it <em>change</em> it: a caller never creates, moves, rotates, edits or deletes a credential or
 * user whose rights are above its own. A team admin changes only objects ranked {@code USER}, plus
 * its own key and its own user.
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

  static void requireProxyAdmin(Principal actor, String action) {
    if (!actor.isProxyAdmin()) {
      throw denied(action);
    }
  }

  /** The team a team-admin credential administers; empty for every other caller. */
  static Optional<String> adminTeam(Principal actor) {
    if (actor instanceof Principal.Keyed k && actor.rights() == Rights.TEAM_ADMIN) {
      return k.team().map(Team::id).or(() -> k.key().teamId());
    }
    return Optional.empty();
  }

  /** True for proxy admins and for the admin of {@code teamId}. */
  static boolean managesTeam(Principal actor, Optional<String> teamId) {
    return actor.isProxyAdmin() || (teamId.isPresent() && adminTeam(actor).equals(teamId));
  }

  static void requireManagesTeam(Principal actor, Optional<String> teamId, String action) {
    if (!managesTeam(actor, teamId)) {
      throw denied(action);
    }
  }

  /** May {@code actor} see a key of {@code teamId} (its own key always)? */
  static boolean seesKey(Principal actor, String keyId, Optional<String> teamId) {
    return ownKeyId(actor).equals(Optional.of(keyId)) || managesTeam(actor, teamId);
  }

  /** May {@code actor} see a user of {@code teamId} (its own user always)? */
  static boolean seesUser(Principal actor, String userId, Optional<String> teamId) {
    return ownUserId(actor).equals(Optional.of(userId)) || managesTeam(actor, teamId);
  }

  /**
   * The rule of issue 15, finding 1: {@code actor} may change a target ranked {@code target} only
   * if that is not above its own rights; a team admin, further, only user-level targets and itself
   * (it does not manage its fellow team admins).
   */
  static void requireMayChange(Principal actor, Rights target, boolean self, String action) {
    Rights own = actor.rights();
    boolean allowed =
        own == Rights.PROXY_ADMIN || self || (own == Rights.TEAM_ADMIN && target == Rights.USER);
    if (!allowed || target.above(own)) {
      throw denied(action);
    }
  }

  static Optional<String> ownKeyId(Principal actor) {
    return actor instanceof Principal.Keyed k ? Optional.of(k.key().id()) : Optional.empty();
  }

  static Optional<String> ownUserId(Principal actor) {
    return actor instanceof Principal.Keyed k ? k.key().userId() : Optional.empty();
  }

  static PermissionDeniedException denied(String action) {
    return new PermissionDeniedException("this key may not " + action);
  }
}

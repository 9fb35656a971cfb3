package io.llmgateway.core.admin;

import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import java.util.Optional;

/**
 * Who may do what. The master key and PROXY_ADMIN keys may do everything; a TEAM_ADMIN key manages
 * its own team's users and LLM keys; an LLM_API key reads only its own key, user and spend.
 */
final class Access {
  private Access() {}

  static String actorName(Principal actor) {
    return switch (actor) {
      case Principal.Master m -> m.name();
      case Principal.Keyed k -> k.key().id();
    };
  }

  static void requireProxyAdmin(Principal actor, String action) {
    if (!actor.isProxyAdmin()) {
      throw denied(action);
    }
  }

  /** The team a TEAM_ADMIN key administers; empty for every other caller. */
  static Optional<String> adminTeam(Principal actor) {
    if (actor instanceof Principal.Keyed k && k.key().role() == KeyRole.TEAM_ADMIN) {
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

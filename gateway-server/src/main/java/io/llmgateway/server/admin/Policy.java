package io.llmgateway.server.admin;

import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Rights;

/**
 * Who may call an admin route at all (the route gate). {@code AdminService} then applies the data
 * rules (a team admin only touches its own team, never grants more than it has; a user key reads
 * only itself), so a route that passes the gate can still answer 403 (or 404, for an object the
 * caller may not see) for a particular object.
 */
enum Policy {
  /** The master key, a PROXY_ADMIN key, or a key of a user whose role is proxy_admin. */
  MASTER_OR_PROXY_ADMIN("the master key or a proxy-admin key"),
  /** The above, or a TEAM_ADMIN key (limited to its own team by AdminService). */
  TEAM_ADMIN_OK("a proxy-admin or team-admin key"),
  /** Any valid key: a user key reads only its own key, user and spend. */
  SELF_READ_OK("any valid key (a user key sees only itself)");

  private final String who;

  Policy(String who) {
    this.who = who;
  }

  String who() {
    return who;
  }

  /**
   * From the caller's rights as core computes them ({@code Principal.rights()}), never re-derived.
   */
  boolean allows(Principal p) {
    return switch (this) {
      case MASTER_OR_PROXY_ADMIN -> p.rights() == Rights.PROXY_ADMIN;
      case TEAM_ADMIN_OK -> p.rights() != Rights.USER;
      case SELF_READ_OK -> true;
    };
  }
}

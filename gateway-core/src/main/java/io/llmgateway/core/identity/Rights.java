package io.llmgateway.core.identity;

import java.util.Optional;

/**
 * What a credential may do, from its key type and its user's role together; the one place that
 * decides it. A key is a proxy admin when its type is {@code proxy_admin} or its user's role is
 * {@code proxy_admin} (so an ordinary LLM key of a proxy-admin user is a proxy-admin credential), a
 * team admin when its type is {@code team_admin}, else a user. The authenticated caller ({@link
 * Principal#rights()}) and every key or user an admin operation targets are ranked by this same
 * function, so "never touch anything above your own rights" compares like with like.
 */
public enum Rights {
  USER,
  TEAM_ADMIN,
  PROXY_ADMIN;

  public static Rights of(KeyRole keyRole, Optional<UserRole> userRole) {
    if (keyRole == KeyRole.PROXY_ADMIN || userRole.equals(Optional.of(UserRole.PROXY_ADMIN))) {
      return PROXY_ADMIN;
    }
    return keyRole == KeyRole.TEAM_ADMIN ? TEAM_ADMIN : USER;
  }

  /** A key with its user as stored (empty for a key without a user, or a user not yet created). */
  public static Rights of(VirtualKey key, Optional<User> user) {
    return of(key.role(), user.map(User::role));
  }

  /** A user by its role alone; admin code also ranks a user by the keys it holds. */
  public static Rights of(User user) {
    return of(KeyRole.LLM_API, Optional.of(user.role()));
  }

  public boolean above(Rights other) {
    return compareTo(other) > 0;
  }

  public static Rights max(Rights a, Rights b) {
    return a.above(b) ? a : b;
  }
}

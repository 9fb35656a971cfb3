package io.llmgateway.core.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling: the master key, or a virtual key with its user and team as loaded in one lookup.
 * Immutable and thread-safe.
 */
public sealed interface Principal {

  /** The proxy admin, authenticated by the master key. */
  record Master() implements Principal {}

  /** A virtual key, with its owner and team when it has them. */
  record Keyed(VirtualKey key, Optional<User> user, Optional<Team> team) implements Principal {
    public Keyed {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(team, "team");
    }
  }

  Principal MASTER = new Master();

  default boolean isProxyAdmin() {
    return switch (this) {
      case Master m -> true;
      case Keyed k ->
          k.key().role() == KeyRole.PROXY_ADMIN
              || k.user().map(u -> u.role() == UserRole.PROXY_ADMIN).orElse(false);
    };
  }
}

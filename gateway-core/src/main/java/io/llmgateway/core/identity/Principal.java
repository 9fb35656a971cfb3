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

  /** This caller's rights, from its key type and its user's role ({@link Rights#of}). */
  default Rights rights() {
    return switch (this) {
      case Master m -> Rights.PROXY_ADMIN;
      case Keyed k -> Rights.of(k.key(), k.user());
    };
  }

  default boolean isProxyAdmin() {
    return rights() == Rights.PROXY_ADMIN;
  }
}

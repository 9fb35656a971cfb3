package io.llmgateway.core.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling: the master key, or a virtual key with its user and team as loaded in one lookup.
 * Immutable and thread-safe.
 */
public sealed interface Principal {

  /**
   * The proxy admin: the master key ({@link #MASTER}, audited as {@code master}) or the admin UI's
   * signed-in operator ({@link #operator}, audited under the operator's name).
   *
   * @param name who audit entries name as the actor
   */
  record Master(String name) implements Principal {
    public Master {
      if (name == null || name.isBlank() || name.length() > 256) {
        throw new IllegalArgumentException("actor name must be 1 to 256 characters");
      }
    }

    public Master() {
      this("master");
    }
  }

  /** A virtual key, with its owner and team when it has them. */
  record Keyed(VirtualKey key, Optional<User> user, Optional<Team> team) implements Principal {
    public Keyed {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(user, "user");
      Objects.requireNonNull(team, "team");
    }
  }

  Principal MASTER = new Master();

  /**
   * The admin UI's operator {@code username}, with the master key's rights: audited as {@code
   * ui:<name>}.
   */
  static Principal operator(String username) {
    String name = "ui:" + username;
    return new Master(name.length() > 256 ? name.substring(0, 256) : name);
  }

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

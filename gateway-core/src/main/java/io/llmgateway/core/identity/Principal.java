package io.llmgateway.core.identity;

import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling: the master key, a virtual key with its user and team as loaded in one lookup, or
 * a person signed in to the admin UI with their {@link Grant}. Immutable and thread-safe.
 */
public sealed interface Principal {

  /**
   * The proxy admin by a credential that is not a person: the master key ({@link #MASTER}, audited
   * as {@code master}), the CLI or startup configuration sync.
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

  /**
   * A person signed in to the admin UI (an operator, or an employee in self-service), with what
   * they may do.
   *
   * @param name who audit entries name as the actor ({@code ui:<user name or email>})
   * @param grant the person's role
   */
  record Person(String name, Grant grant) implements Principal {
    public Person {
      if (name == null || name.isBlank() || name.length() > 256) {
        throw new IllegalArgumentException("actor name must be 1 to 256 characters");
      }
      Objects.requireNonNull(grant, "grant");
    }
  }

  Principal MASTER = new Master();

  /** The admin UI's person {@code username} with {@code grant}: audited as {@code ui:<name>}. */
  static Principal person(String username, Grant grant) {
    String name = "ui:" + username;
    return new Person(name.length() > 256 ? name.substring(0, 256) : name, grant);
  }

  /**
   * The admin UI's break-glass operator {@code username}, with the master key's rights: audited as
   * {@code ui:<name>}.
   */
  static Principal operator(String username) {
    return person(username, new Grant.ProxyAdmin());
  }

  /**
   * This caller's rights, from its key type and its user's role ({@link Rights#of}), or a person's
   * grant ({@link Grant#rights}).
   */
  default Rights rights() {
    return switch (this) {
      case Master m -> Rights.PROXY_ADMIN;
      case Keyed k -> Rights.of(k.key(), k.user());
      case Person p -> p.grant().rights();
    };
  }

  default boolean isProxyAdmin() {
    return rights() == Rights.PROXY_ADMIN;
  }
}

package io.llmgateway.server.ui;

import io.llmgateway.core.identity.Grant;
import java.util.List;
import java.util.Optional;

/**
 * Decides what a person signed in with single sign-on may do, or that they may not get in at all
 * (empty). Resolvers compose: {@link #firstOf} asks each in turn and the first answer wins, so a
 * named-operators list can be consulted before the groups mapping and the e-mail match.
 * Implementations are thread-safe.
 */
@FunctionalInterface
public interface GrantResolver {

  Optional<Grant> resolve(SsoPerson person);

  /** The first of {@code resolvers} that gives a grant; empty when none does. */
  static GrantResolver firstOf(List<GrantResolver> resolvers) {
    List<GrantResolver> chain = List.copyOf(resolvers);
    return person -> {
      for (GrantResolver r : chain) {
        Optional<Grant> g = r.resolve(person);
        if (g.isPresent()) {
          return g;
        }
      }
      return Optional.empty();
    };
  }

  /** The groups claim through the configured mapping ({@link RoleMapping#grantFor}). */
  static GrantResolver groups(RoleMapping roles) {
    return person -> roles.grantFor(person.groups());
  }
}

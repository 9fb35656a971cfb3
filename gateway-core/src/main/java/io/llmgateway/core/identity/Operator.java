package io.llmgateway.core.identity;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A named operator of the admin UI: the e-mail or user name a person signs in as, and the role the
 * proxy admin gave them (never {@link Grant.Member}: employees sign in to self-service as their
 * gateway user). Names compare case-insensitively (e-mail addresses do in practice), so they are
 * kept in lower case. Immutable and thread-safe.
 *
 * @param name the sign-in name, lower case, 1 to 256 printable characters without spaces
 * @param grant what they may do
 */
public record Operator(String name, Grant grant, Instant createdAt, Instant updatedAt) {

  public Operator {
    name = normalize(name);
    Ids.requireText("operator", name);
    if (name.chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("operator must not contain spaces");
    }
    Objects.requireNonNull(grant, "grant");
    if (grant instanceof Grant.Member) {
      throw new IllegalArgumentException(
          "an operator is a proxy_admin, viewer or team_admin (members sign in as their user)");
    }
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
  }

  /** The stored form of a sign-in name: trimmed, lower case. */
  public static String normalize(String name) {
    if (name == null) {
      throw new IllegalArgumentException("operator must not be blank");
    }
    return name.strip().toLowerCase(Locale.ROOT);
  }
}

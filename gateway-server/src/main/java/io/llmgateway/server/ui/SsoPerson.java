package io.llmgateway.server.ui;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Who the identity provider says signed in, from a validated ID token. Immutable and thread-safe.
 *
 * @param subject the provider's {@code sub}
 * @param verifiedEmail the {@code email} claim, only when the provider vouches for it (see {@link
 *     OidcSettings.EmailTrust}); empty otherwise
 * @param username the {@code preferred_username} claim, if any (shown and audited, never trusted)
 * @param groups the groups claim's values (empty when the claim is absent)
 */
public record SsoPerson(
    String subject,
    Optional<String> verifiedEmail,
    Optional<String> username,
    List<String> groups) {

  public SsoPerson {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(verifiedEmail, "verifiedEmail");
    Objects.requireNonNull(username, "username");
    groups = List.copyOf(groups);
  }

  /** The name sessions, logs and audit entries show: the e-mail, else the user name, else sub. */
  public String displayName() {
    return verifiedEmail.or(() -> username).orElse(subject);
  }
}

package io.llmgateway.core.session;

import io.llmgateway.core.identity.Grant;
import java.time.Instant;
import java.util.Objects;

/**
 * A signed-in admin UI session as stored: the SHA-256 hex of the cookie's session id (never the id
 * itself, so a database dump cannot be replayed as cookies), who signed in, the session's CSRF
 * synchronizer token, the credential version it was made with, and when it was created and stops
 * being valid. Immutable and thread-safe.
 *
 * @param idHash SHA-256 hex (64 lower-case characters) of the session id sent in the cookie
 * @param username the person who signed in (operator user name, or e-mail from single sign-on)
 * @param grant what they may do
 * @param credential SHA-256 hex of the account and password hash the session was made with: a
 *     session is valid only while the instance is configured with the same (a rotation ends it)
 * @param csrfToken the token every state-changing request of this session must carry
 * @param createdAt when the session was created (bounds its absolute lifetime)
 * @param expiresAt when the session stops being valid unless extended
 */
public record UiSession(
    String idHash,
    String username,
    Grant grant,
    String credential,
    String csrfToken,
    Instant createdAt,
    Instant expiresAt) {

  public UiSession {
    if (idHash == null || !idHash.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("session id hash must be 64 lower-case hex characters");
    }
    if (username == null || username.isBlank() || username.length() > 256) {
      throw new IllegalArgumentException("username must be 1 to 256 characters");
    }
    Objects.requireNonNull(grant, "grant");
    if (credential == null || !credential.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("credential must be 64 lower-case hex characters");
    }
    if (csrfToken == null || csrfToken.length() < 16 || csrfToken.length() > 256) {
      throw new IllegalArgumentException("CSRF token must be 16 to 256 characters");
    }
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (!expiresAt.isAfter(createdAt)) {
      throw new IllegalArgumentException("session must expire after it is created");
    }
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public UiSession withExpiresAt(Instant value) {
    return new UiSession(idHash, username, grant, credential, csrfToken, createdAt, value);
  }

  /** Never shows the CSRF token. */
  @Override
  public String toString() {
    return "UiSession["
        + idHash.substring(0, 8)
        + "..., "
        + username
        + " ("
        + grant.role()
        + "), until "
        + expiresAt
        + "]";
  }
}

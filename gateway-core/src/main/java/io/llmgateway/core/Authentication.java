package io.llmgateway.core;

import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyStatus;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Turning a credential into a principal, for {@link Gateway#authenticate} and its siblings. */
final class Authentication {
  private final Stores stores;
  private final Optional<KeyHash> masterKeyHash;
  private final Clock clock;

  Authentication(Stores stores, Optional<KeyHash> masterKeyHash, Clock clock) {
    this.stores = stores;
    this.masterKeyHash = masterKeyHash;
    this.clock = clock;
  }

  /** See {@link Gateway#authenticate}. */
  Principal bearer(String bearerToken) {
    if (bearerToken == null || bearerToken.isBlank()) {
      throw new AuthenticationException(
          AuthenticationException.Reason.MISSING,
          "no API key given: send 'Authorization: Bearer <key>'");
    }
    KeyHash hash = KeyHash.of(bearerToken.trim());
    if (masterKeyHash.map(m -> m.matches(hash)).orElse(false)) {
      return Principal.MASTER;
    }
    Instant now = clock.instant();
    Principal.Keyed p =
        stores
            .keys()
            .findPrincipal(hash, now)
            .orElseThrow(
                () ->
                    new AuthenticationException(
                        AuthenticationException.Reason.UNKNOWN, "invalid API key"));
    return active(p, now);
  }

  /** See {@link Gateway#keyPrincipal}. */
  Principal.Keyed key(String keyId) {
    VirtualKey key =
        stores
            .keys()
            .findById(keyId)
            .orElseThrow(
                () ->
                    new AuthenticationException(
                        AuthenticationException.Reason.UNKNOWN, "invalid API key"));
    Optional<User> user = key.userId().flatMap(stores.users()::findById);
    Optional<Team> team =
        key.teamId().or(() -> user.flatMap(User::teamId)).flatMap(stores.teams()::findById);
    return active(new Principal.Keyed(key, user, team), clock.instant());
  }

  /** The one status check of a key credential, for {@link #bearer} and {@link #key}. */
  private static Principal.Keyed active(Principal.Keyed p, Instant now) {
    KeyStatus status = p.key().statusAt(now);
    if (status == KeyStatus.BLOCKED || p.team().map(t -> t.blocked()).orElse(false)) {
      throw new AuthenticationException(
          AuthenticationException.Reason.BLOCKED, "this API key is blocked", Optional.of(p));
    }
    if (status == KeyStatus.EXPIRED) {
      throw new AuthenticationException(
          AuthenticationException.Reason.EXPIRED, "this API key has expired", Optional.of(p));
    }
    return p;
  }
}

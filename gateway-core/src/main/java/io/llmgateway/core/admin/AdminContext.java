package io.llmgateway.core.admin;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.Stores;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;

/** What every admin helper shares: the stores, the clock, lookups and the audit trail. */
final class AdminContext {
  final Stores stores;
  final Clock clock;
  final ZoneId zone;

  AdminContext(Stores stores, Clock clock, ZoneId zone) {
    this.stores = stores;
    this.clock = clock;
    this.zone = zone;
  }

  Instant now() {
    return clock.instant();
  }

  /** A team by id, else by alias. */
  Optional<Team> findTeam(String idOrAlias) {
    return stores.teams().findById(idOrAlias).or(() -> stores.teams().findByAlias(idOrAlias));
  }

  Team team(String idOrAlias) {
    return findTeam(idOrAlias)
        .orElseThrow(() -> new NotFoundException("team '" + idOrAlias + "' does not exist"));
  }

  User user(String userId) {
    return stores
        .users()
        .findById(userId)
        .orElseThrow(() -> new NotFoundException("user '" + userId + "' does not exist"));
  }

  /** A key by plaintext ({@code sk-...}), by hash hex, or by id. */
  VirtualKey key(String ref) {
    Optional<VirtualKey> found;
    if (ref.startsWith(ApiKeys.PREFIX)) {
      found = stores.keys().findByHash(KeyHash.of(ref));
    } else if (KeyHash.looksLikeHash(ref)) {
      found = stores.keys().findByHash(new KeyHash(ref));
    } else {
      found = stores.keys().findById(ref);
    }
    // Never echo the reference: it may be a plaintext key or a hash.
    return found.orElseThrow(() -> new NotFoundException("key not found"));
  }

  /** The team a key draws on: its own, else its user's (as {@code KeyStore.findPrincipal}). */
  Optional<String> teamOf(VirtualKey key) {
    return key.teamId()
        .or(() -> key.userId().flatMap(stores.users()::findById).flatMap(User::teamId));
  }

  /**
   * Audits a change that no instance can have cached yet (a new object nothing refers to), so
   * nothing is invalidated: onboarding thousands of users must not flush every instance's caches
   * thousands of times.
   */
  void recordNew(
      Principal actor,
      String action,
      String targetType,
      String targetId,
      Map<String, Object> after) {
    audit(actor, action, targetType, targetId, Map.of(), after);
  }

  void record(
      Principal actor,
      String action,
      String targetType,
      String targetId,
      Map<String, Object> before,
      Map<String, Object> after,
      Invalidation invalidation) {
    audit(actor, action, targetType, targetId, before, after);
    stores.invalidations().publish(invalidation);
  }

  private void audit(
      Principal actor,
      String action,
      String targetType,
      String targetId,
      Map<String, Object> before,
      Map<String, Object> after) {
    stores
        .auditLog()
        .append(
            new AuditEvent(
                ApiKeys.newId("audit"),
                now(),
                Access.actorName(actor),
                action,
                targetType,
                targetId,
                before,
                after));
  }
}

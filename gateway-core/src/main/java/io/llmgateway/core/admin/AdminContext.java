package io.llmgateway.core.admin;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Rights;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What every admin helper shares: the stores, the clock, lookups and the audit trail. */
final class AdminContext {
  final Stores stores;
  final Clock clock;
  final ZoneId zone;

  /** Writes this instance's deferred settlements, so the spend log holds every answered request. */
  final Runnable flushSpend;

  /** The most keys a member (self-service) may hold. */
  final int memberKeyLimit;

  AdminContext(Stores stores, Clock clock, ZoneId zone, Runnable flushSpend, int memberKeyLimit) {
    this.stores = stores;
    this.clock = clock;
    this.zone = zone;
    this.flushSpend = flushSpend;
    this.memberKeyLimit = memberKeyLimit;
  }

  Instant now() {
    return clock.instant();
  }

  /** A team by id, else by alias. */
  Optional<Team> findTeam(String idOrAlias) {
    return stores.teams().findById(idOrAlias).or(() -> stores.teams().findByAlias(idOrAlias));
  }

  Team team(String idOrAlias) {
    return findTeam(idOrAlias).orElseThrow(() -> noTeam(idOrAlias));
  }

  /** A team {@code actor} may see; one it may not is not found, exactly like a missing one. */
  Team team(Principal actor, String idOrAlias) {
    return findTeam(idOrAlias)
        .filter(t -> Access.seesTeam(actor, Optional.of(t.id())))
        .orElseThrow(() -> noTeam(idOrAlias));
  }

  /** {@link #team(Principal, String)}, or empty for a team that is missing or hidden. */
  Optional<Team> visibleTeam(Principal actor, String idOrAlias) {
    return findTeam(idOrAlias).filter(t -> Access.seesTeam(actor, Optional.of(t.id())));
  }

  User user(String userId) {
    return stores.users().findById(userId).orElseThrow(() -> noUser(userId));
  }

  /** A user {@code actor} may see; one it may not is not found, exactly like a missing one. */
  User user(Principal actor, String userId) {
    return stores
        .users()
        .findById(userId)
        .filter(u -> Access.seesUser(actor, u.id(), u.teamId()))
        .orElseThrow(() -> noUser(userId));
  }

  /** A key by plaintext ({@code sk-...}), by hash hex, or by id. */
  VirtualKey key(String ref) {
    return findKey(ref).orElseThrow(AdminContext::noKey);
  }

  /** A key {@code actor} may see; one it may not is not found, exactly like a missing one. */
  VirtualKey key(Principal actor, String ref) {
    return findKey(ref)
        .filter(k -> Access.seesKey(actor, k, teamOf(k)))
        .orElseThrow(AdminContext::noKey);
  }

  private Optional<VirtualKey> findKey(String ref) {
    if (ref.startsWith(ApiKeys.PREFIX)) {
      return stores.keys().findByHash(KeyHash.of(ref));
    } else if (KeyHash.looksLikeHash(ref)) {
      return stores.keys().findByHash(new KeyHash(ref));
    }
    return stores.keys().findById(ref);
  }

  static NotFoundException noTeam(String ref) {
    return new NotFoundException("team '" + ref + "' does not exist");
  }

  static NotFoundException noUser(String id) {
    return new NotFoundException("user '" + id + "' does not exist");
  }

  static NotFoundException noKey() {
    // Never echo the reference: it may be a plaintext key or a hash.
    return new NotFoundException("key not found");
  }

  /** A key's rights as a credential: its type with its user's role ({@link Rights#of}). */
  Rights rightsOf(VirtualKey key) {
    return Rights.of(key, key.userId().flatMap(stores.users()::findById));
  }

  /**
   * A user's rights: its role, raised by any key it holds (a user holding a proxy-admin key is
   * ranked a proxy admin: editing its budgets or team would act on that credential too).
   */
  Rights rightsOf(User user) {
    Rights r = Rights.of(user);
    for (int page = 1; r != Rights.PROXY_ADMIN; page++) {
      List<VirtualKey> keys =
          stores
              .keys()
              .list(
                  KeyQuery.builder(new PageRequest(page, PageRequest.MAX_SIZE))
                      .user(user.id())
                      .build())
              .items();
      for (VirtualKey k : keys) {
        r = Rights.max(r, Rights.of(k, Optional.of(user)));
      }
      if (keys.size() < PageRequest.MAX_SIZE) {
        break;
      }
    }
    return r;
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

  /** Audits a change to something no instance caches (the operator list): nothing to invalidate. */
  void recordUncached(
      Principal actor,
      String action,
      String targetType,
      String targetId,
      Map<String, Object> before,
      Map<String, Object> after) {
    audit(actor, action, targetType, targetId, before, after);
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

package io.llmgateway.cli.admin;

import io.llmgateway.core.InvalidationBus;
import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Interim {@link Admin} straight over the storage ports, with audit events and invalidations, used
 * until the core's admin service covers these operations. Thread-safe.
 */
final class StoresAdmin implements Admin {
  private static final String ACTOR = "master (gateway-admin)";
  private final Stores stores;
  private final Clock clock;
  private final ZoneId zone;

  StoresAdmin(Stores stores, Clock clock, ZoneId zone) {
    this.stores = stores;
    this.clock = clock;
    this.zone = zone;
  }

  @Override
  public Page<Team> teams(PageRequest page) {
    return stores.teams().list(page);
  }

  @Override
  public Optional<Team> team(String teamId) {
    return stores.teams().findById(teamId).or(() -> stores.teams().findByAlias(teamId));
  }

  @Override
  public Team createTeam(Team team) {
    stores.teams().insert(team);
    audit("team_created", "team", team.id(), Map.of(), describe(team));
    stores.invalidations().publish(new InvalidationBus.Invalidation.All());
    return team;
  }

  @Override
  public Team updateTeam(Team team) {
    Team before =
        stores
            .teams()
            .findById(team.id())
            .orElseThrow(() -> new NotFoundException("no team '" + team.id() + "'"));
    stores.teams().update(team);
    audit("team_updated", "team", team.id(), describe(before), describe(team));
    stores.invalidations().publish(new InvalidationBus.Invalidation.All());
    return team;
  }

  @Override
  public Page<User> users(UserQuery query) {
    return stores.users().list(query);
  }

  @Override
  public Optional<User> user(String userId) {
    return stores.users().findById(userId);
  }

  @Override
  public User createUser(User user) {
    stores.users().insert(user);
    audit("user_created", "user", user.id(), Map.of(), describe(user));
    return user;
  }

  @Override
  public Page<VirtualKey> keys(KeyQuery query) {
    return stores.keys().list(query);
  }

  @Override
  public Optional<VirtualKey> key(String idOrAlias) {
    return stores.keys().findById(idOrAlias).or(() -> stores.keys().findByAlias(idOrAlias));
  }

  @Override
  public IssuedKey issueKey(String userId, Optional<String> teamId, Optional<String> alias) {
    String plaintext = ApiKeys.generate();
    Instant now = clock.instant();
    VirtualKey key =
        new VirtualKey(
            ApiKeys.newId("key"),
            KeyHash.of(plaintext),
            ApiKeys.displayPrefix(plaintext),
            alias,
            Optional.of(userId),
            teamId,
            KeyRole.LLM_API,
            List.of(),
            List.of(),
            RateLimits.NONE,
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Map.of(),
            now,
            now);
    stores.keys().insert(key);
    audit("key_created", "key", key.id(), Map.of(), describe(key));
    return new IssuedKey(key, plaintext);
  }

  @Override
  public VirtualKey setBlocked(String keyId, boolean blocked) {
    VirtualKey before = existing(keyId);
    VirtualKey after = withBlocked(before, blocked);
    stores.keys().update(after);
    audit(
        blocked ? "key_blocked" : "key_unblocked", "key", keyId, describe(before), describe(after));
    stores.invalidations().publish(new InvalidationBus.Invalidation.Key(keyId));
    return after;
  }

  @Override
  public void revoke(String keyId) {
    VirtualKey before = existing(keyId);
    if (!stores.keys().delete(keyId)) {
      throw new NotFoundException("no key '" + keyId + "'");
    }
    audit("key_deleted", "key", keyId, describe(before), Map.of());
    stores.invalidations().publish(new InvalidationBus.Invalidation.Key(keyId));
  }

  @Override
  public IssuedKey rotate(String keyId) {
    VirtualKey k = existing(keyId);
    String plaintext = ApiKeys.generate();
    VirtualKey after =
        new VirtualKey(
            k.id(),
            KeyHash.of(plaintext),
            ApiKeys.displayPrefix(plaintext),
            k.alias(),
            k.userId(),
            k.teamId(),
            k.role(),
            k.models(),
            k.budgets(),
            k.rateLimits(),
            k.blocked(),
            k.expiresAt(),
            Optional.empty(),
            Optional.empty(),
            k.metadata(),
            k.createdAt(),
            clock.instant());
    stores.keys().update(after);
    audit("key_rotated", "key", keyId, describe(k), describe(after));
    stores.invalidations().publish(new InvalidationBus.Invalidation.Key(keyId));
    return new IssuedKey(after, plaintext);
  }

  @Override
  public List<LogicalModel> models() {
    return stores.catalog().models();
  }

  @Override
  public void upsertDeployment(Deployment deployment) {
    Map<String, Object> before =
        stores.catalog().deployment(deployment.id()).map(StoresAdmin::describe).orElse(Map.of());
    stores.catalog().upsert(deployment);
    audit("model_upserted", "model", deployment.id(), before, describe(deployment));
    stores.invalidations().publish(new InvalidationBus.Invalidation.All());
  }

  @Override
  public List<SpendTotal> spendReport(SpendGroup group, Instant from, Instant to) {
    return stores.spendLog().report(group, from, to, zone);
  }

  @Override
  public Map<CounterKey, CounterBalance> balances(Collection<CounterKey> counters) {
    return stores.ledger().balances(counters);
  }

  private VirtualKey existing(String keyId) {
    return stores
        .keys()
        .findById(keyId)
        .orElseThrow(() -> new NotFoundException("no key '" + keyId + "'"));
  }

  private VirtualKey withBlocked(VirtualKey k, boolean blocked) {
    return new VirtualKey(
        k.id(),
        k.hash(),
        k.displayPrefix(),
        k.alias(),
        k.userId(),
        k.teamId(),
        k.role(),
        k.models(),
        k.budgets(),
        k.rateLimits(),
        blocked,
        k.expiresAt(),
        k.previousHash(),
        k.graceUntil(),
        k.metadata(),
        k.createdAt(),
        clock.instant());
  }

  private void audit(
      String action,
      String type,
      String id,
      Map<String, Object> before,
      Map<String, Object> after) {
    stores
        .auditLog()
        .append(
            new AuditEvent(
                ApiKeys.newId("audit"), clock.instant(), ACTOR, action, type, id, before, after));
  }

  // Audit snapshots hold no secrets: never the key hash, only the display prefix.
  private static Map<String, Object> describe(Team t) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("team_alias", t.alias());
    m.put("models", t.models());
    m.put("member_budgets", t.memberBudgets().toString());
    return m;
  }

  private static Map<String, Object> describe(User u) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("team_id", u.teamId().orElse(""));
    m.put("user_alias", u.alias().orElse(""));
    m.put("budgets", u.budgets().toString());
    return m;
  }

  private static Map<String, Object> describe(VirtualKey k) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("key_alias", k.alias().orElse(""));
    m.put("key_name", k.displayPrefix());
    m.put("user_id", k.userId().orElse(""));
    m.put("blocked", k.blocked());
    return m;
  }

  private static Map<String, Object> describe(Deployment d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("model_name", d.modelName());
    m.put("provider_model", d.providerModelId());
    return m;
  }
}

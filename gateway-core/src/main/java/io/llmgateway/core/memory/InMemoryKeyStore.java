package io.llmgateway.core.memory;

import io.llmgateway.core.Page;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyStore;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendLog;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * Virtual keys (hashes only) in a map, listed in the query's order (see {@link Sorting}); spend for
 * the spend order comes from the in-memory spend log. Thread-safe (the identity tables' lock).
 */
final class InMemoryKeyStore implements KeyStore {
  private final IdentityTables t;
  private final SpendLog spendLog;

  InMemoryKeyStore(IdentityTables tables, SpendLog spendLog) {
    this.t = tables;
    this.spendLog = spendLog;
  }

  @Override
  public Optional<Principal.Keyed> findPrincipal(KeyHash hash, Instant now) {
    t.lock.lock();
    try {
      Optional<VirtualKey> found = findByHash(hash);
      if (found.isEmpty()) {
        found =
            t.keys.values().stream()
                .filter(k -> k.previousHash().map(hash::equals).orElse(false))
                .filter(k -> k.graceUntil().map(now::isBefore).orElse(false))
                .findFirst();
      }
      return found.map(this::principalOf);
    } finally {
      t.lock.unlock();
    }
  }

  // A key without its own team draws on its user's team (the user's tier), so a personal key
  // can never escape the tier's models and member budgets.
  private Principal.Keyed principalOf(VirtualKey key) {
    Optional<User> user = key.userId().map(t.users::get);
    Optional<String> teamId = key.teamId().or(() -> user.flatMap(User::teamId));
    Optional<Team> team = teamId.map(t.teams::get);
    return new Principal.Keyed(key, user, team);
  }

  @Override
  public Optional<VirtualKey> findById(String keyId) {
    t.lock.lock();
    try {
      return Optional.ofNullable(t.keys.get(keyId));
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public Optional<VirtualKey> findByHash(KeyHash hash) {
    t.lock.lock();
    try {
      return t.keys.values().stream().filter(k -> k.hash().equals(hash)).findFirst();
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public Optional<VirtualKey> findByAlias(String alias) {
    t.lock.lock();
    try {
      Optional<String> wanted = Optional.of(alias);
      return t.keys.values().stream().filter(k -> k.alias().equals(wanted)).findFirst();
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public void insert(VirtualKey key) {
    t.lock.lock();
    try {
      if (t.keys.containsKey(key.id())) {
        throw new ConflictException("key '" + key.id() + "' already exists");
      }
      requireUnique(key);
      t.keys.put(key.id(), key);
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public void update(VirtualKey key) {
    t.lock.lock();
    try {
      if (!t.keys.containsKey(key.id())) {
        throw new NotFoundException("key '" + key.id() + "' does not exist");
      }
      requireUnique(key);
      t.keys.put(key.id(), key);
    } finally {
      t.lock.unlock();
    }
  }

  private void requireUnique(VirtualKey key) {
    for (VirtualKey other : t.keys.values()) {
      if (other.id().equals(key.id())) {
        continue;
      }
      if (key.alias().isPresent() && other.alias().equals(key.alias())) {
        throw new ConflictException("key alias '" + key.alias().get() + "' is already taken");
      }
      if (other.hash().equals(key.hash())) {
        // Never echo the hash: it identifies a credential.
        throw new ConflictException("a key with the same value already exists");
      }
    }
  }

  @Override
  public boolean delete(String keyId) {
    t.lock.lock();
    try {
      return t.keys.remove(keyId) != null;
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public Page<VirtualKey> list(KeyQuery query) {
    // Read before taking the identity lock: the spend log has its own.
    Map<String, Long> spend =
        query.sort().field() == KeyQuery.By.SPEND
            ? Sorting.spendSince(spendLog, SpendGroup.KEY, query.spendSince())
            : Map.of();
    t.lock.lock();
    try {
      return Paging.page(
          t.keys.values().stream()
              .filter(k -> query.userId().isEmpty() || k.userId().equals(query.userId()))
              .filter(k -> query.teamId().isEmpty() || k.teamId().equals(query.teamId()))
              .filter(k -> query.alias().isEmpty() || k.alias().equals(query.alias()))
              .filter(query::matchesSearch)
              .sorted(Sorting.order(query.sort(), k -> value(query, k, spend), VirtualKey::id))
              .toList(),
          query.page());
    } finally {
      t.lock.unlock();
    }
  }

  private static Comparable<?> value(KeyQuery q, VirtualKey k, Map<String, Long> spend) {
    return switch (q.sort().field()) {
      case CREATED -> k.createdAt();
      case ALIAS -> k.alias().orElse(null);
      case USER -> k.userId().orElse(null);
      case TEAM -> k.teamId().orElse(null);
      case STATUS -> k.blocked();
      case EXPIRES -> k.expiresAt().orElse(null);
      case SPEND -> spend.getOrDefault(k.id(), 0L);
    };
  }
}

package io.llmgateway.core.memory;

import io.llmgateway.core.Page;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserStore;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendLog;
import java.util.Map;
import java.util.Optional;

/**
 * Users in a map, listed in the query's order (see {@link Sorting}); spend for the spend order
 * comes from the in-memory spend log. Thread-safe (the identity tables' lock).
 */
final class InMemoryUserStore implements UserStore {
  private final IdentityTables t;
  private final SpendLog spendLog;

  InMemoryUserStore(IdentityTables tables, SpendLog spendLog) {
    this.t = tables;
    this.spendLog = spendLog;
  }

  @Override
  public Optional<User> findById(String userId) {
    t.lock.lock();
    try {
      return Optional.ofNullable(t.users.get(userId));
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public Optional<User> findByEmail(String email) {
    t.lock.lock();
    try {
      Optional<String> wanted = Optional.of(email);
      return t.users.values().stream().filter(u -> u.email().equals(wanted)).findFirst();
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public void insert(User user) {
    t.lock.lock();
    try {
      if (t.users.containsKey(user.id())) {
        throw new ConflictException("user '" + user.id() + "' already exists");
      }
      requireFreeEmail(user);
      t.users.put(user.id(), user);
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public void update(User user) {
    t.lock.lock();
    try {
      if (!t.users.containsKey(user.id())) {
        throw new NotFoundException("user '" + user.id() + "' does not exist");
      }
      requireFreeEmail(user);
      t.users.put(user.id(), user);
    } finally {
      t.lock.unlock();
    }
  }

  private void requireFreeEmail(User user) {
    if (user.email().isEmpty()) {
      return;
    }
    for (User other : t.users.values()) {
      if (!other.id().equals(user.id()) && other.email().equals(user.email())) {
        throw new ConflictException("user email '" + user.email().get() + "' is already taken");
      }
    }
  }

  @Override
  public boolean delete(String userId) {
    t.lock.lock();
    try {
      if (!t.users.containsKey(userId)) {
        return false;
      }
      Optional<String> id = Optional.of(userId);
      if (t.keys.values().stream().anyMatch(k -> k.userId().equals(id))) {
        throw new ConflictException("user '" + userId + "' still has keys; delete them first");
      }
      t.users.remove(userId);
      return true;
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public Page<User> list(UserQuery query) {
    // Read before taking the identity lock: the spend log has its own.
    Map<String, Long> spend =
        query.sort().field() == UserQuery.By.SPEND
            ? Sorting.spendSince(spendLog, SpendGroup.USER, query.spendSince())
            : Map.of();
    t.lock.lock();
    try {
      return Paging.page(
          t.users.values().stream()
              .filter(u -> query.teamId().isEmpty() || u.teamId().equals(query.teamId()))
              .filter(query::matchesSearch)
              .sorted(Sorting.order(query.sort(), u -> value(query, u, spend), User::id))
              .toList(),
          query.page());
    } finally {
      t.lock.unlock();
    }
  }

  private static Comparable<?> value(UserQuery q, User u, Map<String, Long> spend) {
    return switch (q.sort().field()) {
      case ID -> u.id();
      case EMAIL -> u.email().orElse(null);
      case ALIAS -> u.alias().orElse(null);
      case TEAM -> u.teamId().orElse(null);
      case ROLE -> u.role().name();
      case CREATED -> u.createdAt();
      case SPEND -> spend.getOrDefault(u.id(), 0L);
    };
  }
}

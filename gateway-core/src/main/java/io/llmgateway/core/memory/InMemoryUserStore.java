package io.llmgateway.core.memory;

import io.llmgateway.core.Page;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserStore;
import java.util.Comparator;
import java.util.Optional;

/** Users in a map, ordered by id when listed. Thread-safe (the identity tables' lock). */
final class InMemoryUserStore implements UserStore {
  private final IdentityTables t;

  InMemoryUserStore(IdentityTables tables) {
    this.t = tables;
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
    t.lock.lock();
    try {
      return Paging.page(
          t.users.values().stream()
              .filter(u -> query.teamId().isEmpty() || u.teamId().equals(query.teamId()))
              .sorted(Comparator.comparing(User::id))
              .toList(),
          query.page());
    } finally {
      t.lock.unlock();
    }
  }
}

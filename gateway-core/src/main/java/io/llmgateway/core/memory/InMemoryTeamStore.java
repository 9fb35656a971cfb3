package io.llmgateway.core.memory;

import io.llmgateway.core.Page;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.TeamStore;
import java.util.Comparator;
import java.util.Optional;

/** Teams in a map, ordered by id when listed. Thread-safe (the identity tables' lock). */
final class InMemoryTeamStore implements TeamStore {
  private final IdentityTables t;

  InMemoryTeamStore(IdentityTables tables) {
    this.t = tables;
  }

  @Override
  public Optional<Team> findById(String teamId) {
    t.lock.lock();
    try {
      return Optional.ofNullable(t.teams.get(teamId));
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public Optional<Team> findByAlias(String alias) {
    t.lock.lock();
    try {
      return t.teams.values().stream().filter(x -> x.alias().equals(alias)).findFirst();
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public void insert(Team team) {
    t.lock.lock();
    try {
      if (t.teams.containsKey(team.id())) {
        throw new ConflictException("team '" + team.id() + "' already exists");
      }
      requireFreeAlias(team);
      t.teams.put(team.id(), team);
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public void update(Team team) {
    t.lock.lock();
    try {
      if (!t.teams.containsKey(team.id())) {
        throw new NotFoundException("team '" + team.id() + "' does not exist");
      }
      requireFreeAlias(team);
      t.teams.put(team.id(), team);
    } finally {
      t.lock.unlock();
    }
  }

  private void requireFreeAlias(Team team) {
    for (Team other : t.teams.values()) {
      if (!other.id().equals(team.id()) && other.alias().equals(team.alias())) {
        throw new ConflictException("team alias '" + team.alias() + "' is already taken");
      }
    }
  }

  @Override
  public boolean delete(String teamId) {
    t.lock.lock();
    try {
      if (!t.teams.containsKey(teamId)) {
        return false;
      }
      Optional<String> id = Optional.of(teamId);
      boolean referenced =
          t.users.values().stream().anyMatch(u -> u.teamId().equals(id))
              || t.keys.values().stream().anyMatch(k -> k.teamId().equals(id));
      if (referenced) {
        throw new ConflictException(
            "team '" + teamId + "' still has users or keys; delete or move them first");
      }
      t.teams.remove(teamId);
      return true;
    } finally {
      t.lock.unlock();
    }
  }

  @Override
  public Page<Team> list(PageRequest page) {
    t.lock.lock();
    try {
      return Paging.page(
          t.teams.values().stream().sorted(Comparator.comparing(Team::id)).toList(), page);
    } finally {
      t.lock.unlock();
    }
  }
}

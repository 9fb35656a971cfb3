package io.llmgateway.core.memory;

import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.session.SessionStore;
import io.llmgateway.core.session.UiSession;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sessions and sign-in failures in this process's memory: not shared between instances, lost on
 * restart. Thread-safe (concurrent maps; each subject's failure list is guarded by itself).
 */
final class InMemorySessionStore implements SessionStore {
  private final Map<String, UiSession> sessions = new ConcurrentHashMap<>();
  private final Map<String, List<Instant>> failures = new ConcurrentHashMap<>();

  @Override
  public void create(UiSession session) {
    if (sessions.putIfAbsent(session.idHash(), session) != null) {
      throw new ConflictException("session already exists");
    }
  }

  @Override
  public Optional<UiSession> find(String idHash, Instant now) {
    return Optional.ofNullable(sessions.get(idHash)).filter(s -> !s.isExpiredAt(now));
  }

  @Override
  public void extend(String idHash, Instant expiresAt) {
    sessions.computeIfPresent(idHash, (k, s) -> s.withExpiresAt(expiresAt));
  }

  @Override
  public boolean delete(String idHash) {
    return sessions.remove(idHash) != null;
  }

  @Override
  public int deleteAllExcept(Set<String> credentials) {
    int before = sessions.size();
    sessions.values().removeIf(s -> !credentials.contains(s.credential()));
    return Math.max(0, before - sessions.size());
  }

  @Override
  public int deleteByUsername(String username) {
    int before = sessions.size();
    sessions.values().removeIf(s -> s.username().equalsIgnoreCase(username));
    return Math.max(0, before - sessions.size());
  }

  @Override
  public int sweep(Instant now, Instant failuresBefore) {
    int before = sessions.size();
    sessions.values().removeIf(s -> s.isExpiredAt(now));
    failures.forEach(
        (subject, list) -> {
          synchronized (list) {
            list.removeIf(at -> at.isBefore(failuresBefore));
          }
        });
    failures.values().removeIf(List::isEmpty);
    return Math.max(0, before - sessions.size());
  }

  @Override
  public void recordFailure(String subject, Instant at) {
    List<Instant> list = failures.computeIfAbsent(subject, s -> new ArrayList<>());
    synchronized (list) {
      list.add(at);
    }
  }

  @Override
  public int failuresSince(String subject, Instant since) {
    List<Instant> list = failures.get(subject);
    if (list == null) {
      return 0;
    }
    synchronized (list) {
      return (int) list.stream().filter(at -> !at.isBefore(since)).count();
    }
  }

  @Override
  public void clearFailures(String subject) {
    failures.remove(subject);
  }
}

package io.llmgateway.core.memory;

import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.ratelimit.RateLimiter;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.ratelimit.RateRemaining;
import io.llmgateway.core.ratelimit.RateScope;
import io.llmgateway.core.ratelimit.RateStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Fixed UTC-minute windows for requests and tokens, and a set of held slots per scope for parallel
 * requests. Checks and increments happen under one lock, so admission is all or nothing.
 * Thread-safe.
 */
final class InMemoryRateLimiter implements RateLimiter {

  private record Window(String scope, String minute) {}

  private static final class Usage {
    long requests;
    long tokens;
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Map<Window, Usage> windows = new HashMap<>();
  private final Map<String, Map<String, Instant>> slots = new HashMap<>();
  private final Map<String, RatePermit> outstanding = new HashMap<>();

  static String minuteOf(Instant now) {
    return now.truncatedTo(ChronoUnit.MINUTES).toString();
  }

  @Override
  public RatePermit acquire(
      String permitId, List<RateScope> scopes, long estimatedTokens, Instant now, Instant expires) {
    if (estimatedTokens < 0) {
      throw new IllegalArgumentException("estimated tokens must not be negative");
    }
    String minute = minuteOf(now);
    Duration untilNextMinute =
        Duration.between(now, now.truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1)));
    lock.lock();
    try {
      prune(now);
      for (RateScope s : scopes) {
        check(s, minute, estimatedTokens, now, untilNextMinute);
      }
      Optional<RateRemaining> requests = Optional.empty();
      Optional<RateRemaining> tokens = Optional.empty();
      for (RateScope s : scopes) {
        Usage u = windows.computeIfAbsent(new Window(s.scope(), minute), w -> new Usage());
        u.requests++;
        u.tokens += estimatedTokens;
        slots.computeIfAbsent(s.scope(), x -> new HashMap<>()).put(permitId, expires);
        requests = tighter(requests, s.limits().rpm(), u.requests);
        tokens = tighter(tokens, s.limits().tpm(), u.tokens);
      }
      RatePermit permit =
          new RatePermit(
              permitId,
              scopes,
              minute,
              estimatedTokens,
              expires,
              new RateStatus(requests, tokens, now.plus(untilNextMinute)));
      outstanding.put(permitId, permit);
      return permit;
    } finally {
      lock.unlock();
    }
  }

  /** {@code sofar} or this scope's remaining count under {@code limit}, whichever is tighter. */
  private static Optional<RateRemaining> tighter(
      Optional<RateRemaining> sofar, OptionalLong limit, long counted) {
    if (limit.isEmpty()) {
      return sofar;
    }
    RateRemaining here = new RateRemaining(limit.getAsLong(), limit.getAsLong() - counted);
    return Optional.of(sofar.map(here::tighter).orElse(here));
  }

  private void check(RateScope s, String minute, long tokens, Instant now, Duration retry) {
    RateLimits l = s.limits();
    Usage u = windows.getOrDefault(new Window(s.scope(), minute), new Usage());
    if (l.rpm().isPresent() && u.requests + 1 > l.rpm().getAsLong()) {
      throw new RateLimitedException(
          RateLimitedException.Limit.REQUESTS_PER_MINUTE, s.scope(), l.rpm().getAsLong(), retry);
    }
    if (l.tpm().isPresent() && u.tokens + tokens > l.tpm().getAsLong()) {
      throw new RateLimitedException(
          RateLimitedException.Limit.TOKENS_PER_MINUTE, s.scope(), l.tpm().getAsLong(), retry);
    }
    if (l.maxParallel().isPresent()) {
      long held =
          slots.getOrDefault(s.scope(), Map.of()).values().stream().filter(now::isBefore).count();
      if (held + 1 > l.maxParallel().getAsLong()) {
        throw new RateLimitedException(
            RateLimitedException.Limit.PARALLEL_REQUESTS,
            s.scope(),
            l.maxParallel().getAsLong(),
            Duration.ofSeconds(1));
      }
    }
  }

  @Override
  public void release(RatePermit permit, long actualTokens) {
    lock.lock();
    try {
      if (outstanding.remove(permit.id()) == null) {
        return;
      }
      for (RateScope s : permit.scopes()) {
        Map<String, Instant> held = slots.get(s.scope());
        if (held != null) {
          held.remove(permit.id());
        }
        Usage u = windows.get(new Window(s.scope(), permit.minute()));
        if (u != null) {
          u.tokens = Math.max(0, u.tokens - permit.estimatedTokens() + Math.max(0, actualTokens));
        }
      }
    } finally {
      lock.unlock();
    }
  }

  // Keeps memory bounded: minutes long past can no longer refuse anyone, and a lapsed slot
  // older than an hour belongs to a holder that is not coming back.
  private void prune(Instant now) {
    String oldest = minuteOf(now.minus(Duration.ofMinutes(2)));
    windows.keySet().removeIf(w -> w.minute().compareTo(oldest) < 0);
    Instant stale = now.minus(Duration.ofHours(1));
    outstanding.values().removeIf(p -> p.expiresAt().isBefore(stale));
    for (Map<String, Instant> held : slots.values()) {
      held.values().removeIf(stale::isAfter);
    }
    slots.values().removeIf(Map::isEmpty);
  }
}

package io.llmgateway.postgres;

import io.llmgateway.core.error.RateLimitedException;
import io.llmgateway.core.error.RateLimitedException.Limit;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.ratelimit.RateLimiter;
import io.llmgateway.core.ratelimit.RatePermit;
import io.llmgateway.core.ratelimit.RateRemaining;
import io.llmgateway.core.ratelimit.RateScope;
import io.llmgateway.core.ratelimit.RateStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * RPM, TPM and parallel-request limits that hold across instances without a database statement per
 * request (docs/CORE.md, "Rate limits").
 *
 * <p>Per scope and UTC minute, this instance takes slices of the allowance (requests and tokens)
 * from PostgreSQL, one statement per slice, and counts admissions against them in memory. The
 * database hands out slices conditionally, never past the limit, so the requests admitted by all
 * instances together never exceed it. A slice's unused part lapses with its minute, so the only
 * imprecision is under-admission: a request refused while another instance still holds an unused
 * slice. Slices start at 1/64 of the limit and double per take up to 1/16, which bounds that.
 *
 * <p>Parallel slots: this instance leases some of a scope's slots (one statement to grow the
 * lease), counts the requests holding them in memory, and gives back slots it has not used since
 * the last check, every {@link #SHRINK_EVERY}. A lease outlives every request admitted under it, so
 * a dead instance's slots lapse as a dead request's slot did.
 *
 * <p>Admission locks the scopes' states in name order, so it is all or nothing without deadlock; a
 * state's lock is held over its (rare) database statement, which delays only that scope.
 * Thread-safe.
 */
final class SlicedRateLimiter implements RateLimiter, AutoCloseable {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(SlicedRateLimiter.class);
  private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

  /** How often unused parallel slots go back to the database. */
  static final Duration SHRINK_EVERY = Duration.ofMillis(500);

  /** A lease lasts this long past the latest expiry of the requests admitted under it. */
  private static final Duration LEASE_SLACK = Duration.ofMinutes(1);

  private static final long FIRST_SLICE_DIVISOR = 64;
  private static final long MAX_SLICE_DIVISOR = 16;

  private final RateSlices slices;
  private final String holder = "gw-" + UUID.randomUUID();
  private final ConcurrentHashMap<String, RateScopeState> states = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, RatePermit> outstanding = new ConcurrentHashMap<>();
  private final AtomicLong lastPurgeMillis = new AtomicLong();
  private final AtomicLong lastNowMillis = new AtomicLong();
  private final SliceShrinker shrinker;

  SlicedRateLimiter(Db db) {
    this.slices = new RateSlices(db);
    this.shrinker = new SliceShrinker(this::shrinkAll, SHRINK_EVERY);
  }

  @Override
  public RatePermit acquire(
      String permitId,
      List<RateScope> scopes,
      long estimatedTokens,
      Instant now,
      Instant expiresAt) {
    if (estimatedTokens < 0) {
      throw new IllegalArgumentException("estimated tokens must not be negative");
    }
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    Instant windowEnd = minute.plus(Duration.ofMinutes(1));
    List<RateScope> limited = new ArrayList<>();
    for (RateScope s : scopes) {
      if (!s.limits().isEmpty()) {
        limited.add(s);
      }
    }
    limited.sort(Comparator.comparing(RateScope::scope));
    if (limited.isEmpty()) {
      return new RatePermit(
          permitId,
          limited,
          minute.toString(),
          estimatedTokens,
          expiresAt,
          RateStatus.unlimited(windowEnd));
    }
    lastNowMillis.accumulateAndGet(now.toEpochMilli(), Math::max);
    shrinker.start();
    List<RateScopeState> locked = lockAll(limited);
    RateStatus status;
    try {
      Duration untilNextMinute = Duration.between(now, windowEnd);
      for (int i = 0; i < limited.size(); i++) {
        RateScopeState st = locked.get(i);
        st.prune(minute, now);
        ensureRoom(st, limited.get(i).limits(), minute, estimatedTokens, untilNextMinute);
        ensureSlot(st, limited.get(i).limits(), now, expiresAt);
      }
      Optional<RateRemaining> requests = Optional.empty();
      Optional<RateRemaining> tokens = Optional.empty();
      for (int i = 0; i < limited.size(); i++) {
        RateScopeState st = locked.get(i);
        RateLimits l = limited.get(i).limits();
        if (l.rpm().isPresent() || l.tpm().isPresent()) {
          RateScopeState.Window w = st.window(minute);
          w.usedRequests++;
          w.usedTokens += estimatedTokens;
          requests = tighter(requests, l.rpm(), w.takenRequests - w.freeRequests());
          tokens = tighter(tokens, l.tpm(), w.takenTokens - w.freeTokens());
        }
        if (l.maxParallel().isPresent()) {
          st.holders.put(permitId, expiresAt);
          st.peak = Math.max(st.peak, st.holders.size());
        }
      }
      status = new RateStatus(requests, tokens, windowEnd);
    } finally {
      locked.forEach(st -> st.lock.unlock());
    }
    RatePermit permit =
        new RatePermit(permitId, limited, minute.toString(), estimatedTokens, expiresAt, status);
    outstanding.put(permitId, permit);
    purgeNowAndThen(now);
    return permit;
  }

  /**
   * What a limit has left for clients of every instance, as this instance knows it: the limit less
   * what the database has handed out (as of this instance's last take), plus what this instance has
   * not used of its slices. {@code used} is the former minus the latter.
   */
  private static Optional<RateRemaining> tighter(
      Optional<RateRemaining> sofar, OptionalLong limit, long used) {
    if (limit.isEmpty()) {
      return sofar;
    }
    long max = limit.getAsLong();
    RateRemaining here = new RateRemaining(max, Math.max(0, Math.min(max, max - used)));
    return Optional.of(sofar.map(here::tighter).orElse(here));
  }

  /** Locks the scopes' states in name order (the list is sorted), looking up dropped ones again. */
  private List<RateScopeState> lockAll(List<RateScope> sorted) {
    while (true) {
      List<RateScopeState> locked = new ArrayList<>(sorted.size());
      boolean stale = false;
      for (RateScope s : sorted) {
        RateScopeState st = states.computeIfAbsent(s.scope(), RateScopeState::new);
        st.lock.lock();
        locked.add(st);
        if (st.dropped) {
          stale = true;
          break;
        }
      }
      if (!stale) {
        return locked;
      }
      locked.forEach(st -> st.lock.unlock());
    }
  }

  /** Makes sure this instance's slices of the minute have room for one more request. */
  private void ensureRoom(
      RateScopeState st, RateLimits l, Instant minute, long tokens, Duration retryAfter) {
    if (l.rpm().isEmpty() && l.tpm().isEmpty()) {
      return;
    }
    RateScopeState.Window w = st.window(minute);
    long needRequests = l.rpm().isPresent() ? Math.max(0, 1 - w.freeRequests()) : 0;
    long needTokens = l.tpm().isPresent() ? Math.max(0, tokens - w.freeTokens()) : 0;
    if (w.seen && needRequests == 0 && needTokens == 0) {
      return;
    }
    // What the database has handed out only grows within a minute: once it cannot cover the
    // shortfall, asking again this minute is pointless, so a flood of refusals costs no statement.
    if (w.seen && l.rpm().isPresent() && l.rpm().getAsLong() - w.takenRequests < needRequests) {
      throw new RateLimitedException(
          Limit.REQUESTS_PER_MINUTE, st.scope, l.rpm().getAsLong(), retryAfter);
    }
    if (w.seen && l.tpm().isPresent() && l.tpm().getAsLong() - w.takenTokens < needTokens) {
      throw new RateLimitedException(
          Limit.TOKENS_PER_MINUTE, st.scope, l.tpm().getAsLong(), retryAfter);
    }
    if (!w.seen) {
      w.nextRequests = firstSlice(l.rpm());
      w.nextTokens = firstSlice(l.tpm());
    }
    long wantRequests = needRequests > 0 || !w.seen ? Math.max(needRequests, w.nextRequests) : 0;
    long wantTokens = needTokens > 0 || !w.seen ? Math.max(needTokens, w.nextTokens) : 0;
    RateSlices.Slice got =
        slices.take(
            st.scope, minute, l.rpm(), needRequests, wantRequests, l.tpm(), needTokens, wantTokens);
    w.seen = true;
    w.takenRequests = got.takenRequests();
    w.takenTokens = got.takenTokens();
    w.grantedRequests += got.grantedRequests();
    w.grantedTokens += got.grantedTokens();
    if (got.grantedRequests() > 0) {
      w.nextRequests = Math.min(maxSlice(l.rpm()), w.nextRequests * 2);
    }
    if (got.grantedTokens() > 0) {
      w.nextTokens = Math.min(maxSlice(l.tpm()), w.nextTokens * 2);
    }
    if (l.rpm().isPresent() && w.freeRequests() < 1) {
      throw new RateLimitedException(
          Limit.REQUESTS_PER_MINUTE, st.scope, l.rpm().getAsLong(), retryAfter);
    }
    if (l.tpm().isPresent() && w.freeTokens() < tokens) {
      throw new RateLimitedException(
          Limit.TOKENS_PER_MINUTE, st.scope, l.tpm().getAsLong(), retryAfter);
    }
  }

  private static long firstSlice(OptionalLong limit) {
    return limit.isPresent() ? Math.max(1, limit.getAsLong() / FIRST_SLICE_DIVISOR) : 0;
  }

  private static long maxSlice(OptionalLong limit) {
    return limit.isPresent() ? Math.max(1, limit.getAsLong() / MAX_SLICE_DIVISOR) : 0;
  }

  /** Makes sure this instance's lease has a free slot lasting past {@code expiresAt}. */
  private void ensureSlot(RateScopeState st, RateLimits l, Instant now, Instant expiresAt) {
    if (l.maxParallel().isEmpty()) {
      return;
    }
    long max = l.maxParallel().getAsLong();
    st.parallel = max;
    long need = st.holders.size() + 1;
    if (need <= st.leased && !st.leaseExpires.isBefore(expiresAt)) {
      return;
    }
    // Some headroom, so that a ramp of concurrent requests does not take one statement each.
    long want = Math.min(max, Math.max(st.leased, need + need / 2));
    Instant until = expiresAt.plus(LEASE_SLACK);
    OptionalLong held = slices.hold(st.scope, holder, max, need, want, now, until);
    if (held.isEmpty()) {
      throw new RateLimitedException(Limit.PARALLEL_REQUESTS, st.scope, max, Duration.ofSeconds(1));
    }
    st.leased = held.getAsLong();
    if (until.isAfter(st.leaseExpires)) {
      st.leaseExpires = until;
    }
  }

  @Override
  public void release(RatePermit permit, long actualTokens) {
    if (outstanding.remove(permit.id()) == null) {
      return; // released before, or never admitted here: idempotent
    }
    Instant minute = Instant.parse(permit.minute());
    for (RateScope s : permit.scopes()) {
      RateScopeState st = states.get(s.scope());
      if (st == null) {
        continue;
      }
      st.lock.lock();
      try {
        st.holders.remove(permit.id());
        RateScopeState.Window w = st.windows.get(minute);
        if (w != null && s.limits().tpm().isPresent()) {
          // Freed tokens return to this instance's slice; they lapse with the minute.
          w.usedTokens =
              Math.max(0, w.usedTokens - permit.estimatedTokens() + Math.max(0, actualTokens));
        }
      } finally {
        st.lock.unlock();
      }
    }
  }

  /**
   * Gives back parallel slots unused since the last shrink, forgets idle scopes and lapsed permits.
   * Runs on the shrinker's thread.
   */
  private void shrinkAll() {
    Instant now = Instant.ofEpochMilli(lastNowMillis.get());
    Instant minute = now.truncatedTo(ChronoUnit.MINUTES);
    outstanding.values().removeIf(p -> !now.isBefore(p.expiresAt()));
    for (RateScopeState st : states.values()) {
      st.lock.lock();
      try {
        st.prune(minute, now);
        long keep = Math.max(st.peak, st.holders.size());
        if (keep < st.leased) {
          OptionalLong held =
              slices.hold(
                  st.scope,
                  holder,
                  st.parallel,
                  0,
                  keep,
                  now,
                  st.leaseExpires.isAfter(now) ? st.leaseExpires : now);
          st.leased = held.orElse(st.leased);
        }
        st.peak = st.holders.size();
        if (st.idle()) {
          st.dropped = true;
          states.remove(st.scope, st);
        }
      } catch (RuntimeException e) {
        LOG.warn("could not give back parallel slots of {}: {}", st.scope, e.getMessage());
      } finally {
        st.lock.unlock();
      }
    }
  }

  /** At most once a minute per instance; the request is admitted whether or not it works. */
  private void purgeNowAndThen(Instant now) {
    long last = lastPurgeMillis.get();
    if (now.toEpochMilli() - last < PURGE_EVERY.toMillis()
        || !lastPurgeMillis.compareAndSet(last, now.toEpochMilli())) {
      return;
    }
    try {
      slices.purge(now);
    } catch (RuntimeException e) {
      LOG.warn("rate-limit purge failed: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    shrinker.close();
  }
}

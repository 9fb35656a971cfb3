package io.llmgateway.server.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.javalin.http.Context;
import io.llmgateway.core.Gateway;
import io.llmgateway.core.InvalidationBus;
import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyStatus;
import io.llmgateway.core.identity.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Turns {@code Authorization: Bearer <key>} (or LiteLLM's {@code x-api-key} / {@code api-key}) into
 * a {@link Principal} through {@link Gateway#authenticate}, with a small cache.
 *
 * <p>The cache is keyed by the full SHA-256 of the presented key (never a prefix: see
 * CVE-2026-35030), holds successful lookups only, and entries live at most {@code ttl} (<= 1 s).
 * Changes published on {@link InvalidationBus} drop entries at once in this process; another
 * instance that did not see the message serves a blocked or deleted key for at most {@code ttl}
 * more. Every hit re-checks expiry against the clock.
 *
 * <p>Concurrent misses for one key share one lookup: at thousands of new requests a second every
 * key's entry expires each {@code ttl}, and each of its requests arriving during the lookup used to
 * start one more, which under load took every pooled database connection (5,000 streams: 1,178
 * admissions refused {@code storage_unavailable} in {@code findPrincipal}). A lookup started before
 * an invalidation is neither joined nor cached after it. Thread-safe.
 */
public final class Authenticator {
  private final Gateway gateway;
  private final Clock clock;
  private final Cache<KeyHash, Principal> cache;
  private final ConcurrentHashMap<KeyHash, CompletableFuture<Principal>> lookups =
      new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();
  private final ClientAddress clients;
  private final KeyFailureThrottle failures;

  public Authenticator(
      Gateway gateway,
      InvalidationBus invalidations,
      Duration ttl,
      Clock clock,
      ClientAddress clients,
      KeyFailureThrottle failures) {
    this.gateway = gateway;
    this.clock = clock;
    this.clients = clients;
    this.failures = failures;
    this.cache = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(100_000).build();
    invalidations.subscribe(this::onInvalidation);
  }

  /**
   * The caller of this request, from its headers alone (call it before reading the body), stored on
   * the context for logs; throws 401 if there is none, 429 if its address has failed too often
   * ({@link KeyFailureThrottle}).
   */
  public Principal require(Context ctx) {
    Principal cached = ctx.attribute(RequestAttributes.PRINCIPAL);
    if (cached != null) {
      return cached;
    }
    String token = bearer(ctx);
    boolean presented = token != null && !token.isBlank();
    String address = clients.of(ctx);
    if (presented
        && failures.blocked(address)
        && cache.getIfPresent(KeyHash.of(token.trim())) == null) {
      throw failures.refusal();
    }
    Principal p;
    try {
      p = authenticate(token);
    } catch (AuthenticationException e) {
      if (presented) {
        failures.failed(address);
      }
      throw e;
    }
    ctx.attribute(RequestAttributes.PRINCIPAL, p);
    return p;
  }

  /** Like {@link #require} but only the master key or a proxy-admin key passes (403 otherwise). */
  public Principal requireAdmin(Context ctx) {
    Principal p = require(ctx);
    if (!p.isProxyAdmin()) {
      throw new PermissionDeniedException("this route needs the master key or a proxy-admin key");
    }
    return p;
  }

  public Principal authenticate(String token) {
    if (token == null || token.isBlank()) {
      return gateway.authenticate(token); // throws the "missing key" error
    }
    KeyHash hash = KeyHash.of(token.trim());
    Principal hit = cache.getIfPresent(hash);
    if (hit != null) {
      if (hit instanceof Principal.Keyed k
          && k.key().statusAt(clock.instant()) == KeyStatus.EXPIRED) {
        cache.invalidate(hash);
        throw new AuthenticationException(
            AuthenticationException.Reason.EXPIRED, "this API key has expired", Optional.of(k));
      }
      return hit;
    }
    return lookUp(hash, token);
  }

  /** One lookup per key at a time: the others wait for its result (not a pinned monitor). */
  private Principal lookUp(KeyHash hash, String token) {
    CompletableFuture<Principal> mine = new CompletableFuture<>();
    CompletableFuture<Principal> running = lookups.putIfAbsent(hash, mine);
    if (running != null) {
      try {
        return running.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r; // the lookup's own refusal (unknown key, database down), as it would have been
        }
        throw e;
      }
    }
    long seen = generation.get();
    try {
      Principal p = gateway.authenticate(token);
      if (generation.get() == seen) {
        cache.put(hash, p);
      }
      mine.complete(p);
      return p;
    } catch (RuntimeException e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      lookups.remove(hash, mine);
    }
  }

  /** Drops every cached principal (used when a change's scope is unknown). */
  public void invalidateAll() {
    generation.incrementAndGet();
    lookups.clear();
    cache.invalidateAll();
  }

  private void onInvalidation(InvalidationBus.Invalidation invalidation) {
    if (!(invalidation instanceof InvalidationBus.Invalidation.LeaseRecall)) {
      // Lookups in flight may have read the old state: later requests start their own.
      generation.incrementAndGet();
      lookups.clear();
    }
    switch (invalidation) {
      case InvalidationBus.Invalidation.Key k ->
          cache
              .asMap()
              .values()
              .removeIf(
                  p -> p instanceof Principal.Keyed keyed && keyed.key().id().equals(k.keyId()));
      case InvalidationBus.Invalidation.All a -> cache.invalidateAll();
      case InvalidationBus.Invalidation.LeaseRecall r -> {} // about budgets, not identities
    }
  }

  /** The presented key: {@code Authorization: Bearer}, else {@code x-api-key} / {@code api-key}. */
  static String bearer(Context ctx) {
    String auth = ctx.header("Authorization");
    if (auth != null) {
      String trimmed = auth.trim();
      if (trimmed.length() > 7
          && trimmed.substring(0, 7).toLowerCase(Locale.ROOT).equals("bearer ")) {
        return trimmed.substring(7).trim();
      }
      return null;
    }
    String apiKey = ctx.header("x-api-key");
    return apiKey != null ? apiKey : ctx.header("api-key");
  }
}

package io.llmgateway.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.Gateway;
import io.llmgateway.core.GatewayConfig;
import io.llmgateway.core.Stores;
import io.llmgateway.core.error.AuthenticationException;
import io.llmgateway.core.identity.KeyStore;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.testing.TestWorld;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many requests with one key arriving while its cache entry is missing share one key lookup: each
 * used to start its own, and at thousands of new streams a second those lookups took every pooled
 * database connection and admissions were refused with 503 storage_unavailable (docs/PERFORMANCE.md
 * "Streams at scale"). The key store here answers slowly, as a busy database does.
 */
class AuthenticatorSingleFlightTest {
  private static final int CALLERS = 50;

  private final TestWorld world = new TestWorld();
  private final AtomicInteger lookups = new AtomicInteger();

  @Test
  void concurrentMissesForOneKeyShareOneLookup() throws Exception {
    String key = world.userWithKey("ann@example.com", "drafting");
    Authenticator auth = authenticator();

    List<Object> results = together(() -> auth.authenticate(key));

    assertThat(lookups.get()).isEqualTo(1);
    assertThat(results).hasSize(CALLERS).allMatch(r -> r instanceof Principal.Keyed);
  }

  @Test
  void aRefusedLookupIsEveryWaitersRefusalAndNotCached() throws Exception {
    Authenticator auth = authenticator();
    String unknown = "sk-" + "x".repeat(40);

    List<Object> results = together(() -> auth.authenticate(unknown));

    assertThat(results).allMatch(r -> r instanceof AuthenticationException);
    int first = lookups.get();
    assertThat(first).isLessThan(CALLERS);
    assertThatThrownBy(() -> auth.authenticate(unknown))
        .isInstanceOf(AuthenticationException.class);
    assertThat(lookups.get()).isEqualTo(first + 1); // failures are looked up again
  }

  private Authenticator authenticator() {
    Stores s = world.stores;
    KeyStore slow =
        (KeyStore)
            Proxy.newProxyInstance(
                KeyStore.class.getClassLoader(),
                new Class<?>[] {KeyStore.class},
                (proxy, method, args) -> {
                  if (method.getName().equals("findPrincipal")) {
                    lookups.incrementAndGet();
                    Thread.sleep(300); // a database with every connection busy
                  }
                  try {
                    return method.invoke(s.keys(), args);
                  } catch (InvocationTargetException e) {
                    throw e.getCause();
                  }
                });
    Stores stores =
        new Stores(
            slow,
            s.teams(),
            s.users(),
            s.catalog(),
            s.ledger(),
            s.rateLimiter(),
            s.spendLog(),
            s.auditLog(),
            s.invalidations(),
            s.operators(),
            s.sessions());
    Gateway gateway =
        Gateway.builder()
            .stores(stores)
            .provider(world.provider)
            .config(GatewayConfig.defaults())
            .clock(world.clock)
            .build();
    return new Authenticator(
        gateway,
        stores.invalidations(),
        Duration.ofSeconds(1),
        world.clock,
        new ClientAddress(List.of()),
        new KeyFailureThrottle(1_000));
  }

  /** Runs {@code call} on CALLERS virtual threads released at once; each result or exception. */
  private static List<Object> together(java.util.concurrent.Callable<Object> call)
      throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    List<Future<Object>> futures = new ArrayList<>();
    try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < CALLERS; i++) {
        futures.add(
            pool.submit(
                () -> {
                  gate.await();
                  try {
                    return call.call();
                  } catch (RuntimeException e) {
                    return e;
                  }
                }));
      }
      gate.countDown();
    }
    List<Object> results = new ArrayList<>();
    for (Future<Object> f : futures) {
      results.add(f.get());
    }
    return results;
  }
}

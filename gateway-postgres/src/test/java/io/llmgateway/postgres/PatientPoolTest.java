package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A store call that finds every pooled connection busy for longer than the pool's 3 s wait is
 * served once one comes back (PatientPool), instead of the 503 storage_unavailable that refused
 * admissions at 5,000 streams with the database up. The database-down case still fails closed
 * (StorageUnavailableTest).
 */
class PatientPoolTest {

  @Test
  void aBusyPoolIsWaitedForPastTheConnectionTimeout() throws Exception {
    DatabaseConfig one = PostgresFixture.freshDatabase();
    try (PostgresAdapters adapters =
        PostgresAdapters.start(
            new DatabaseConfig(one.jdbcUrl(), one.username(), one.password(), 1))) {
      KeyHash unknown = KeyHash.of(ApiKeys.generate());
      adapters.stores().keys().findPrincipal(unknown, Instant.now()); // the pool is up
      Connection held = adapters.dataSource().getConnection(); // the only connection: busy
      long start = System.nanoTime();
      CompletableFuture<Boolean> lookup =
          CompletableFuture.supplyAsync(
              () -> adapters.stores().keys().findPrincipal(unknown, Instant.now()).isEmpty());
      Thread.sleep(PostgresAdapters.CONNECTION_TIMEOUT_MILLIS + 1_000);
      held.close();

      assertThat(lookup.get(PatientPool.BUSY_WAIT_MILLIS, TimeUnit.MILLISECONDS)).isTrue();
      assertThat((System.nanoTime() - start) / 1_000_000)
          .isGreaterThan(PostgresAdapters.CONNECTION_TIMEOUT_MILLIS);
    }
  }
}

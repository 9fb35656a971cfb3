package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.error.StorageUnavailableException;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.money.Money;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With the database gone, every operation fails closed with a clear error; none admits. */
class StorageUnavailableTest {

  @Test
  void operationsFailClosedWhenTheDatabaseStops(@TempDir Path dir) throws Exception {
    EmbeddedDatabase db = EmbeddedDatabase.start(dir.resolve("pg"));
    PostgresAdapters adapters = PostgresAdapters.start(db.config(2));
    try {
      String rid = id("res");
      var request =
          new ReservationRequest(
              rid,
              List.of(line(teamDaily("t", NOW), Money.ofNanos(1_000))),
              Money.ofNanos(10),
              NOW,
              NOW.plusSeconds(60),
              TestData.pending(rid, "t", NOW));
      db.close();

      long start = System.nanoTime();
      assertThatThrownBy(() -> adapters.stores().ledger().reserve(request))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("database is unavailable");
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(millis).isLessThan(10_000);
      assertThatThrownBy(
              () -> adapters.stores().keys().findPrincipal(KeyHash.of(ApiKeys.generate()), NOW))
          .isInstanceOf(StorageUnavailableException.class);
      assertThatThrownBy(
              () ->
                  adapters
                      .stores()
                      .rateLimiter()
                      .acquire(
                          "p",
                          List.of(
                              new io.llmgateway.core.ratelimit.RateScope(
                                  "k",
                                  new io.llmgateway.core.identity.RateLimits(
                                      java.util.OptionalLong.of(1),
                                      java.util.OptionalLong.empty(),
                                      java.util.OptionalLong.empty()))),
                          1,
                          NOW,
                          NOW.plusSeconds(5)))
          .isInstanceOf(StorageUnavailableException.class);
      assertThat(adapters.isHealthy()).isFalse();
      System.out.println("reserve failed closed after " + millis + " ms with the database down");
    } finally {
      adapters.close();
    }
  }

  @Test
  void startingAgainstAnUnreachableDatabaseIsAClearError() {
    DatabaseConfig nowhere =
        new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/none", "u", "secret-pw", 1);
    assertThatThrownBy(() -> PostgresAdapters.start(nowhere))
        .isInstanceOf(StorageUnavailableException.class)
        .hasMessageContaining("cannot migrate the database")
        .hasMessageNotContaining("secret-pw");
  }

  @Test
  void theEmbeddedDatabaseKeepsItsDataAcrossRestarts(@TempDir Path dir) {
    Path data = dir.resolve("data");
    String teamId = id("team");
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
        PostgresAdapters a = PostgresAdapters.start(db.config(2))) {
      a.stores().teams().insert(TestData.team(teamId));
    }
    assertThat(Files.exists(data.resolve("PG_VERSION"))).isTrue();
    try (EmbeddedDatabase db = EmbeddedDatabase.start(data);
        PostgresAdapters a = PostgresAdapters.start(db.config(2))) {
      assertThat(a.stores().teams().findById(teamId)).isPresent();
      assertThat(db.config(2).jdbcUrl()).startsWith("jdbc:postgresql://127.0.0.1:");
    }
  }
}

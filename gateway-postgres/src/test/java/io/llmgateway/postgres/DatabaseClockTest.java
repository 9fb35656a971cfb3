package io.llmgateway.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.postgres.testing.PostgresFixture;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** The clock instances share: PostgreSQL's, measured on the real server. */
class DatabaseClockTest {

  @Test
  void theAdaptersClockReadsTheDatabasesTimeAndStopsWithThem() throws Exception {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    DatabaseClock clock;
    try (PostgresAdapters adapters = PostgresAdapters.start(db)) {
      Clock c = adapters.clock();
      assertThat(c).isSameAs(adapters.clock());
      clock = (DatabaseClock) c;
      Instant before = c.instant();
      Instant database = databaseNow(adapters.dataSource());
      Instant after = c.instant();
      assertThat(database).isBetween(before.minusMillis(50), after.plusMillis(50));
      assertThat(clock.hostOffset().abs()).as("same host").isLessThan(Duration.ofSeconds(1));
      assertThat(threadRunning()).isTrue();
    }
    assertThat(clock.isStopped()).as("closed with the adapters").isTrue();
    assertThat(threadRunning()).isFalse();
  }

  /**
   * The database's clock is made to jump an hour ahead (a {@code clock_timestamp()} earlier on the
   * connection's search path): the next refresh follows it.
   */
  @Test
  void followsTheDatabasesClockAtEachRefresh() throws Exception {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    PostgresAdapters.migrate(db);
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setUrl(db.jdbcUrl());
    ds.setUser(db.username());
    ds.setPassword(db.password());
    ds.setOptions("-c search_path=skew,public,pg_catalog");
    setSkew(ds, "0 seconds");

    try (DatabaseClock clock = DatabaseClock.start(ds, Duration.ofMillis(100))) {
      assertThat(Duration.between(Instant.now(), clock.instant()).abs())
          .isLessThan(Duration.ofSeconds(1));

      setSkew(ds, "1 hour");
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (Duration.between(Instant.now(), clock.instant()).compareTo(Duration.ofMinutes(59)) < 0
          && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(Duration.between(Instant.now(), clock.instant()))
          .isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
      assertThat(clock.hostOffset()).isBetween(Duration.ofMinutes(59), Duration.ofMinutes(61));
    }
  }

  private static void setSkew(PGSimpleDataSource ds, String by) throws Exception {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement()) {
      st.execute("CREATE SCHEMA IF NOT EXISTS skew");
      st.execute(
          "CREATE OR REPLACE FUNCTION skew.clock_timestamp() RETURNS timestamptz LANGUAGE sql"
              + " AS $$ SELECT pg_catalog.clock_timestamp() + interval '"
              + by
              + "' $$");
    }
  }

  private static Instant databaseNow(javax.sql.DataSource ds) throws Exception {
    try (Connection c = ds.getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
      rs.next();
      return rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }

  private static boolean threadRunning() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals("database-clock") && t.isAlive());
  }
}

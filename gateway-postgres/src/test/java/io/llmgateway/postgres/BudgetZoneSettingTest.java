package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.finished;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.reservation;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import io.llmgateway.postgres.testing.PostgresFixture;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

/**
 * The budget time zone belongs to the database (V107): the first instance stores it, later ones
 * configured differently do not start, counters name the zone of their period, and the zone changes
 * only while no instance is connected.
 */
class BudgetZoneSettingTest {
  static final ZoneId LA = ZoneId.of("America/Los_Angeles");
  static final ZoneId UTC = ZoneId.of("UTC");

  @Test
  void theFirstInstanceStoresItsZoneAndAnInstanceConfiguredDifferentlyDoesNotStart() {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    try (PostgresAdapters first = PostgresAdapters.start(db, LA)) {
      assertThat(first.budgetZone()).isEqualTo(LA);

      assertThatThrownBy(() -> PostgresAdapters.start(db, UTC))
          .isInstanceOfSatisfying(
              BudgetZoneMismatchException.class,
              e -> {
                assertThat(e.configured()).isEqualTo(UTC);
                assertThat(e.database()).isEqualTo(LA);
              })
          .hasMessageContaining("UTC")
          .hasMessageContaining("America/Los_Angeles");

      try (PostgresAdapters same = PostgresAdapters.start(db, LA);
          PostgresAdapters tool = PostgresAdapters.start(db)) {
        assertThat(same.budgetZone()).isEqualTo(LA);
        assertThat(tool.budgetZone()).as("a tool adopts the database's zone").isEqualTo(LA);
      }
    }
  }

  @Test
  void spellingsOfOneFixedZoneAreTheSameZone() {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    try (PostgresAdapters first = PostgresAdapters.start(db, UTC);
        PostgresAdapters second = PostgresAdapters.start(db, ZoneId.of("Etc/UTC"))) {
      assertThat(second.budgetZone()).isEqualTo(UTC);
    }
  }

  @Test
  void storedCountersAndReservationLinesNameTheZoneOfTheirPeriod() {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    try (PostgresAdapters adapters = PostgresAdapters.start(db, LA)) {
      String user = id("user");
      CounterKey daily = new CounterKey(BudgetScope.user(user), BudgetWindow.DAILY, "2026-12-05");
      String rid = id("res");
      var outcome =
          adapters
              .stores()
              .ledger()
              .reserve(
                  reservation(
                      rid,
                      List.of(line(daily, Money.ofNanos(1_000))),
                      Money.ofNanos(300),
                      NOW,
                      NOW.plusSeconds(60)));
      assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
      adapters
          .stores()
          .ledger()
          .settle(rid, finished(TestData.pending(rid, user, NOW), Money.ofNanos(120), NOW));

      Jdbi jdbi = Jdbi.create(adapters.dataSource());
      assertThat(periods(jdbi, "budget_counters", user)).containsExactly("2026-12-05@" + LA);
      List<String> linePeriods =
          jdbi.withHandle(
              h ->
                  h.createQuery("SELECT period FROM reservation_lines WHERE reservation_id = :r")
                      .bind("r", rid)
                      .mapTo(String.class)
                      .list());
      assertThat(linePeriods).containsExactly("2026-12-05@" + LA);
      var balance = adapters.stores().ledger().balances(List.of(daily)).get(daily);
      assertThat(balance.committed()).isEqualTo(Money.ofNanos(120));
      assertThat(balance.reserved()).isEqualTo(Money.ZERO);
    }
  }

  @Test
  void periodsWrittenBeforeTheSettingAreStampedWithTheFirstZoneStored() {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    PostgresAdapters.migrate(db);
    String user = id("user");
    String rid = id("res");
    // What an instance before V107 left: a counter and a held reservation, periods without zone.
    Jdbi raw = Jdbi.create(db.jdbcUrl(), db.username(), db.password());
    raw.useHandle(
        h -> {
          h.execute(
              "INSERT INTO budget_counters (scope_kind, scope_id, time_window, period,"
                  + " committed_nanos, reserved_nanos, limit_nanos, resets_at)"
                  + " VALUES ('USER', ?, 'DAILY', '2026-12-05', 500, 300, 1000, now())",
              user);
          h.execute(
              "INSERT INTO reservations (id, amount_nanos, state, created_at, expires_at,"
                  + " pending) VALUES (?, 300, 'held', now(), now() + interval '1 minute', '{}')",
              rid);
          h.execute(
              "INSERT INTO reservation_lines (reservation_id, scope_kind, scope_id, time_window,"
                  + " period) VALUES (?, 'USER', ?, 'DAILY', '2026-12-05')",
              rid,
              user);
        });

    try (PostgresAdapters adapters = PostgresAdapters.start(db, LA)) {
      Jdbi jdbi = Jdbi.create(adapters.dataSource());
      assertThat(periods(jdbi, "budget_counters", user)).containsExactly("2026-12-05@" + LA);
      CounterKey daily = new CounterKey(BudgetScope.user(user), BudgetWindow.DAILY, "2026-12-05");
      var ledger = adapters.stores().ledger();
      assertThat(ledger.balances(List.of(daily)).get(daily).committed())
          .as("the legacy counter is the LA day's counter")
          .isEqualTo(Money.ofNanos(500));

      // Its held reservation settles against the same (stamped) counter.
      ledger.settle(rid, finished(TestData.pending(rid, user, NOW), Money.ofNanos(100), NOW));
      var after = ledger.balances(List.of(daily)).get(daily);
      assertThat(after.committed()).isEqualTo(Money.ofNanos(600));
      assertThat(after.reserved()).isEqualTo(Money.ZERO);
    }
  }

  @Test
  void theZoneChangesOnlyWhileNoInstanceIsConnectedAndOldCountersKeepTheirZone() {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    String user = id("user");
    CounterKey daily = new CounterKey(BudgetScope.user(user), BudgetWindow.DAILY, "2026-12-05");
    try (PostgresAdapters running = PostgresAdapters.start(db, UTC)) {
      running
          .stores()
          .ledger()
          .reserve(
              reservation(
                  id("res"),
                  List.of(line(daily, Money.ofNanos(1_000))),
                  Money.ofNanos(300),
                  NOW,
                  NOW.plusSeconds(60)));

      assertThatThrownBy(() -> PostgresAdapters.changeBudgetZone(db, LA))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("stop every gateway instance");
    }

    assertThat(PostgresAdapters.changeBudgetZone(db, LA)).contains(UTC);
    assertThatThrownBy(() -> PostgresAdapters.start(db, UTC))
        .isInstanceOf(BudgetZoneMismatchException.class);
    try (PostgresAdapters next = PostgresAdapters.start(db, LA)) {
      assertThat(next.budgetZone()).isEqualTo(LA);
      Jdbi jdbi = Jdbi.create(next.dataSource());
      assertThat(periods(jdbi, "budget_counters", user))
          .as("the UTC day's counter is still the UTC day's")
          .containsExactly("2026-12-05@UTC");
      assertThat(next.stores().ledger().balances(List.of(daily)).get(daily).reserved())
          .as("the LA day 2026-12-05 is another counter")
          .isEqualTo(Money.ZERO);
    }
  }

  @Test
  void aFreshDatabaseTakesTheZoneFromTheChangeCommand() {
    DatabaseConfig db = PostgresFixture.freshDatabase(2);
    assertThat(PostgresAdapters.changeBudgetZone(db, LA)).isEqualTo(Optional.empty());
    try (PostgresAdapters adapters = PostgresAdapters.start(db)) {
      assertThat(adapters.budgetZone()).isEqualTo(LA);
    }
  }

  private static List<String> periods(Jdbi jdbi, String table, String scopeId) {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT period FROM " + table + " WHERE scope_id = :s")
                .bind("s", scopeId)
                .mapTo(String.class)
                .list());
  }
}

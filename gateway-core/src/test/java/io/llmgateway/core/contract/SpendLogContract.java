package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static io.llmgateway.core.testing.Fixtures.key;
import static io.llmgateway.core.testing.Fixtures.spend;
import static io.llmgateway.core.testing.Fixtures.team;
import static io.llmgateway.core.testing.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.Stores;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendLog;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendScope;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpendLog} must do. Rows are written the only way they can be: reserved and
 * settled through the ledger. Subclass it with a factory for fresh, empty stores.
 */
public abstract class SpendLogContract {

  /** Fresh, empty stores for each test. */
  protected abstract Stores newStores();

  protected Stores stores;
  protected SpendLog spendLog;

  @BeforeEach
  void setUpStores() {
    stores = newStores();
    spendLog = stores.spendLog();
    stores.teams().insert(team("t1").build());
    stores.teams().insert(team("t2").build());
    stores.users().insert(user("u1").team("t1").build());
    stores.users().insert(user("u2").team("t2").build());
    stores.keys().insert(key("k1").user("u1").team("t1").build());
    stores.keys().insert(key("k2").user("u2").team("t2").build());
  }

  /** Writes a record through the ledger, the way the gateway does. */
  protected void record(SpendRecord r) {
    var line = dailyLine(BudgetScope.key(r.keyId()), Money.MAX, r.startedAt());
    var outcome =
        stores
            .ledger()
            .reserve(
                new ReservationRequest(
                    r.requestId(),
                    List.of(line),
                    r.cost(),
                    r.startedAt(),
                    r.startedAt().plusSeconds(300),
                    r));
    assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(stores.ledger().settle(r.requestId(), r)).isTrue();
  }

  private void seedThree() {
    record(
        spend("r1", "k1")
            .user("u1")
            .team("t1")
            .model("model-cheap")
            .usage(100, 10)
            .nanos(500)
            .ended(T0.plusSeconds(1))
            .build());
    record(
        spend("r2", "k1")
            .user("u1")
            .team("t1")
            .model("model-smart")
            .usage(200, 20)
            .nanos(3000)
            .ended(T0.plusSeconds(2))
            .build());
    record(
        spend("r3", "k2")
            .user("u2")
            .team("t2")
            .model("model-cheap")
            .usage(300, 30)
            .nanos(1000)
            .ended(T0.plusSeconds(3))
            .build());
  }

  private List<String> ids(SpendQuery q) {
    return spendLog.query(q).items().stream().map(SpendRecord::requestId).toList();
  }

  private static SpendQuery query(
      Optional<String> key, Optional<String> user, Optional<String> team, Optional<String> model) {
    return SpendQuery.builder(PageRequest.first(50))
        .keyId(key)
        .userId(user)
        .teamId(team)
        .model(model)
        .build();
  }

  @Test
  void queryReturnsRecordsNewestFirst() {
    seedThree();

    assertThat(ids(SpendQuery.all(PageRequest.first(10)))).containsExactly("r3", "r2", "r1");
  }

  @Test
  void queryRoundTripsEveryFieldOfARecord() {
    SpendRecord r =
        spend("r1", "k1")
            .user("u1")
            .team("t1")
            .model("model-cheap")
            .deployment("nova-micro")
            .usage(123, 45)
            .nanos(10_455)
            .started(T0)
            .ended(T0.plusMillis(1500))
            .build();
    record(r);

    assertThat(spendLog.query(SpendQuery.all(PageRequest.first(10))).items()).containsExactly(r);
  }

  @Test
  void queryFiltersByKeyUserTeamAndModel() {
    seedThree();
    var none = Optional.<String>empty();

    assertThat(ids(query(Optional.of("k1"), none, none, none))).containsExactly("r2", "r1");
    assertThat(ids(query(none, Optional.of("u2"), none, none))).containsExactly("r3");
    assertThat(ids(query(none, none, Optional.of("t1"), none))).containsExactly("r2", "r1");
    assertThat(ids(query(none, none, none, Optional.of("model-cheap"))))
        .containsExactly("r3", "r1");
    assertThat(ids(query(Optional.of("k1"), none, none, Optional.of("model-cheap"))))
        .containsExactly("r1");
  }

  @Test
  void queryFindsOneRequestById() {
    seedThree();
    var q = SpendQuery.builder(PageRequest.first(10)).requestId("r2").build();

    assertThat(ids(q)).containsExactly("r2");
  }

  @Test
  void queryTimeRangeIncludesFromAndExcludesTo() {
    seedThree();
    var q =
        SpendQuery.builder(PageRequest.first(10))
            .from(T0.plusSeconds(1))
            .to(T0.plusSeconds(3))
            .build();

    assertThat(ids(q)).containsExactly("r2", "r1");
  }

  @Test
  void queryPagesWithATotal() {
    seedThree();

    var second = spendLog.query(SpendQuery.all(new PageRequest(2, 2)));

    assertThat(second.total()).isEqualTo(3);
    assertThat(second.items()).extracting(SpendRecord::requestId).containsExactly("r1");
  }

  @Test
  void reportGroupsByTeamWithTotalsHighestCostFirst() {
    seedThree();

    var rows = spendLog.report(SpendGroup.TEAM, T0, T0.plusSeconds(60), ZoneOffset.UTC);

    assertThat(rows)
        .containsExactly(
            new SpendTotal("t1", 2, 300, 30, Money.ofNanos(3500)),
            new SpendTotal("t2", 1, 300, 30, Money.ofNanos(1000)));
  }

  @Test
  void aScopedReportAddsUpOnlyTheRowsOfItsTeamsOrItsUser() {
    seedThree();
    Instant to = T0.plusSeconds(60);

    assertThat(
            spendLog.report(
                SpendGroup.MODEL, T0, to, ZoneOffset.UTC, SpendScope.teams(java.util.Set.of("t2"))))
        .containsExactly(new SpendTotal("model-cheap", 1, 300, 30, Money.ofNanos(1000)));
    assertThat(spendLog.report(SpendGroup.KEY, T0, to, ZoneOffset.UTC, SpendScope.user("u1")))
        .containsExactly(new SpendTotal("k1", 2, 300, 30, Money.ofNanos(3500)));
    assertThat(
            spendLog.report(
                SpendGroup.TEAM, T0, to, ZoneOffset.UTC, SpendScope.teams(java.util.Set.of())))
        .isEmpty();
    assertThat(spendLog.report(SpendGroup.TEAM, T0, to, ZoneOffset.UTC, SpendScope.ALL)).hasSize(2);
  }

  @Test
  void reportGroupsByUserKeyAndModel() {
    seedThree();
    Instant to = T0.plusSeconds(60);

    assertThat(spendLog.report(SpendGroup.USER, T0, to, ZoneOffset.UTC))
        .extracting(SpendTotal::group)
        .containsExactly("u1", "u2");
    assertThat(spendLog.report(SpendGroup.KEY, T0, to, ZoneOffset.UTC))
        .extracting(SpendTotal::group)
        .containsExactly("k1", "k2");
    assertThat(spendLog.report(SpendGroup.MODEL, T0, to, ZoneOffset.UTC))
        .containsExactly(
            new SpendTotal("model-smart", 1, 200, 20, Money.ofNanos(3000)),
            new SpendTotal("model-cheap", 2, 400, 40, Money.ofNanos(1500)));
  }

  @Test
  void reportGroupsByCalendarDayInTheGivenZone() {
    // 02:00 UTC on the 27th is still the 26th in New York.
    Instant lateEvening = Instant.parse("2026-11-27T02:00:00Z");
    Instant morning = Instant.parse("2026-11-27T14:00:00Z");
    record(spend("r1", "k1").nanos(100).ended(lateEvening).build());
    record(spend("r2", "k1").nanos(200).ended(morning).build());
    Instant from = lateEvening.minus(Duration.ofDays(1));
    Instant to = morning.plus(Duration.ofDays(1));

    assertThat(spendLog.report(SpendGroup.DAY, from, to, ZoneId.of("America/New_York")))
        .extracting(SpendTotal::group)
        .containsExactly("2026-11-27", "2026-11-26");
    assertThat(spendLog.report(SpendGroup.DAY, from, to, ZoneOffset.UTC))
        .containsExactly(new SpendTotal("2026-11-27", 2, 0, 0, Money.ofNanos(300)));
  }

  @Test
  void reportCountsOnlyRecordsThatEndedInTheRange() {
    seedThree();

    var rows =
        spendLog.report(SpendGroup.KEY, T0.plusSeconds(2), T0.plusSeconds(3), ZoneOffset.UTC);

    assertThat(rows).containsExactly(new SpendTotal("k1", 1, 200, 20, Money.ofNanos(3000)));
  }
}

package io.llmgateway.core.contract;

import static io.llmgateway.core.testing.Fixtures.dailyLine;
import static io.llmgateway.core.testing.Fixtures.key;
import static io.llmgateway.core.testing.Fixtures.spend;
import static io.llmgateway.core.testing.Fixtures.team;
import static io.llmgateway.core.testing.Fixtures.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.Stores;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendBucket;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendLog;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendSeriesQuery;
import io.llmgateway.core.spend.SpendSeriesQuery.Bucket;
import io.llmgateway.core.testing.MutableClock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link SpendLog#series} must do: hour and day buckets on the local clock of the budget
 * zone (region ids and fixed offsets, half-hour zones, the day boundary), the filters, the range's
 * ends, grouping inside buckets; and, through {@link AdminService#spendSeries}, the role scoping of
 * the spend log (a team admin reads its team only). Rows are written through the ledger, as the
 * gateway writes them.
 */
public abstract class SpendSeriesContract {
  private static final Instant NOON = Instant.parse("2026-11-27T12:00:00Z");

  protected abstract Stores newStores();

  private Stores stores;
  private SpendLog log;

  @BeforeEach
  void setUpStores() {
    stores = newStores();
    log = stores.spendLog();
    stores.teams().insert(team("t1").build());
    stores.teams().insert(team("t2").build());
    stores.users().insert(user("u1").team("t1").build());
    stores.users().insert(user("u2").team("t2").build());
    stores.keys().insert(key("k1").user("u1").team("t1").build());
    stores.keys().insert(key("k2").user("u2").team("t2").build());
    stores.keys().insert(key("lead1").user("u1").team("t1").role(KeyRole.TEAM_ADMIN).build());
  }

  private void record(String id, String key, String model, long nanos, Instant ended) {
    String n = key.substring(1);
    SpendRecord r =
        spend(id, key)
            .user("u" + n)
            .team("t" + n)
            .model(model)
            .usage(10, 2)
            .nanos(nanos)
            .started(ended.minusMillis(100))
            .ended(ended)
            .build();
    var line = dailyLine(BudgetScope.key(key), Money.MAX, r.startedAt());
    var outcome =
        stores
            .ledger()
            .reserve(
                new ReservationRequest(
                    id, List.of(line), r.cost(), r.startedAt(), r.startedAt().plusSeconds(300), r));
    assertThat(outcome).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(stores.ledger().settle(id, r)).isTrue();
  }

  private static SpendBucket bucket(String start, String group, long requests, long nanos) {
    return new SpendBucket(
        LocalDateTime.parse(start),
        group,
        requests,
        10 * requests,
        2 * requests,
        Money.ofNanos(nanos));
  }

  @Test
  void hourlyBucketsCountRecordsByTheHourTheyEnded() {
    record("r1", "k1", "model-cheap", 100, Instant.parse("2026-11-27T10:00:00Z"));
    record("r2", "k1", "model-cheap", 200, Instant.parse("2026-11-27T10:59:59.999Z"));
    record("r3", "k2", "model-cheap", 400, Instant.parse("2026-11-27T11:00:00Z"));

    var rows =
        log.series(
            SpendSeriesQuery.all(NOON.minusSeconds(6 * 3600), NOON, Bucket.HOUR), ZoneOffset.UTC);

    assertThat(rows)
        .containsExactly(
            bucket("2026-11-27T10:00", SpendBucket.ALL, 2, 300),
            bucket("2026-11-27T11:00", SpendBucket.ALL, 1, 400));
  }

  @Test
  void dailyBucketsAreCalendarDaysOfTheZone() {
    // 02:00 UTC on the 27th is still the 26th in New York (UTC-5 in November).
    record("r1", "k1", "model-cheap", 100, Instant.parse("2026-11-27T02:00:00Z"));
    record("r2", "k1", "model-cheap", 200, Instant.parse("2026-11-27T14:00:00Z"));
    Instant from = Instant.parse("2026-11-20T00:00:00Z");
    Instant to = Instant.parse("2026-11-30T00:00:00Z");

    assertThat(
            log.series(SpendSeriesQuery.all(from, to, Bucket.DAY), ZoneId.of("America/New_York")))
        .containsExactly(
            bucket("2026-11-26T00:00", SpendBucket.ALL, 1, 100),
            bucket("2026-11-27T00:00", SpendBucket.ALL, 1, 200));
    assertThat(log.series(SpendSeriesQuery.all(from, to, Bucket.DAY), ZoneOffset.UTC))
        .containsExactly(bucket("2026-11-27T00:00", SpendBucket.ALL, 2, 300));
    // A fixed offset is the same clock as the region in winter, and its sign is not inverted.
    assertThat(log.series(SpendSeriesQuery.all(from, to, Bucket.DAY), ZoneOffset.ofHours(-5)))
        .containsExactly(
            bucket("2026-11-26T00:00", SpendBucket.ALL, 1, 100),
            bucket("2026-11-27T00:00", SpendBucket.ALL, 1, 200));
  }

  @Test
  void hourlyBucketsFollowTheLocalClockOfAHalfHourZone() {
    // Kolkata is UTC+05:30: 10:20Z is 15:50 there, 10:40Z is 16:10; the hours are local hours.
    record("r1", "k1", "model-cheap", 100, Instant.parse("2026-11-27T10:20:00Z"));
    record("r2", "k1", "model-cheap", 200, Instant.parse("2026-11-27T10:40:00Z"));
    var q = SpendSeriesQuery.all(NOON.minusSeconds(3 * 3600), NOON, Bucket.HOUR);

    assertThat(log.series(q, ZoneId.of("Asia/Kolkata")))
        .containsExactly(
            bucket("2026-11-27T15:00", SpendBucket.ALL, 1, 100),
            bucket("2026-11-27T16:00", SpendBucket.ALL, 1, 200));
    assertThat(log.series(q, ZoneOffset.ofHoursMinutes(5, 30)))
        .containsExactly(
            bucket("2026-11-27T15:00", SpendBucket.ALL, 1, 100),
            bucket("2026-11-27T16:00", SpendBucket.ALL, 1, 200));
    assertThat(log.series(q, ZoneOffset.UTC))
        .containsExactly(bucket("2026-11-27T10:00", SpendBucket.ALL, 2, 300));
  }

  @Test
  void theRangeIncludesItsStartAndExcludesItsEnd() {
    Instant from = Instant.parse("2026-11-27T10:00:00Z");
    Instant to = Instant.parse("2026-11-27T11:00:00Z");
    record("before", "k1", "model-cheap", 1, from.minusMillis(1));
    record("first", "k1", "model-cheap", 10, from);
    record("last", "k1", "model-cheap", 100, to.minusMillis(1));
    record("after", "k1", "model-cheap", 1000, to);

    assertThat(log.series(SpendSeriesQuery.all(from, to, Bucket.HOUR), ZoneOffset.UTC))
        .containsExactly(bucket("2026-11-27T10:00", SpendBucket.ALL, 2, 110));
  }

  @Test
  void filtersNarrowByKeyUserTeamAndModel() {
    Instant at = Instant.parse("2026-11-27T10:30:00Z");
    record("r1", "k1", "model-cheap", 100, at);
    record("r2", "k1", "model-smart", 200, at);
    record("r3", "k2", "model-cheap", 400, at);
    var all = SpendSeriesQuery.all(at.minusSeconds(3600), NOON, Bucket.HOUR);
    var hour = "2026-11-27T10:00";

    assertThat(log.series(all.toBuilder().keyId("k1").build(), ZoneOffset.UTC))
        .containsExactly(bucket(hour, SpendBucket.ALL, 2, 300));
    assertThat(log.series(all.toBuilder().userId("u2").build(), ZoneOffset.UTC))
        .containsExactly(bucket(hour, SpendBucket.ALL, 1, 400));
    assertThat(log.series(all.toBuilder().teamId("t1").build(), ZoneOffset.UTC))
        .containsExactly(bucket(hour, SpendBucket.ALL, 2, 300));
    assertThat(log.series(all.toBuilder().model("model-cheap").build(), ZoneOffset.UTC))
        .containsExactly(bucket(hour, SpendBucket.ALL, 2, 500));
    assertThat(
            log.series(all.toBuilder().teamId("t1").model("model-smart").build(), ZoneOffset.UTC))
        .containsExactly(bucket(hour, SpendBucket.ALL, 1, 200));
    assertThat(log.series(all.toBuilder().teamId("nobody").build(), ZoneOffset.UTC)).isEmpty();
  }

  @Test
  void groupsInsideEachBucketHighestCostFirst() {
    record("r1", "k1", "model-cheap", 100, Instant.parse("2026-11-27T10:10:00Z"));
    record("r2", "k1", "model-smart", 300, Instant.parse("2026-11-27T10:20:00Z"));
    record("r3", "k2", "model-cheap", 50, Instant.parse("2026-11-27T11:10:00Z"));
    var q = SpendSeriesQuery.all(NOON.minusSeconds(3 * 3600), NOON, Bucket.HOUR);

    assertThat(log.series(q.toBuilder().by(SpendGroup.MODEL).build(), ZoneOffset.UTC))
        .containsExactly(
            bucket("2026-11-27T10:00", "model-smart", 1, 300),
            bucket("2026-11-27T10:00", "model-cheap", 1, 100),
            bucket("2026-11-27T11:00", "model-cheap", 1, 50));
    assertThat(log.series(q.toBuilder().by(SpendGroup.KEY).build(), ZoneOffset.UTC))
        .containsExactly(
            bucket("2026-11-27T10:00", "k1", 2, 400), bucket("2026-11-27T11:00", "k2", 1, 50));
    assertThat(log.series(q.toBuilder().by(SpendGroup.TEAM).build(), ZoneOffset.UTC))
        .extracting(SpendBucket::group)
        .containsExactly("t1", "t2");
    assertThat(log.series(q.toBuilder().by(SpendGroup.USER).build(), ZoneOffset.UTC))
        .extracting(SpendBucket::group)
        .containsExactly("u1", "u2");
  }

  @Test
  void aTeamAdminReadsOnlyItsTeamsSeriesAndAProxyAdminReadsEveryTeam() {
    Instant at = Instant.parse("2026-11-27T10:30:00Z");
    record("r1", "k1", "model-cheap", 100, at);
    record("r3", "k2", "model-cheap", 400, at);
    AdminService admin = new AdminService(stores, new MutableClock(NOON), ZoneOffset.UTC);
    var lead =
        stores
            .keys()
            .findById("lead1")
            .map(
                k ->
                    new Principal.Keyed(
                        k, stores.users().findById("u1"), stores.teams().findById("t1")))
            .orElseThrow();
    var q =
        SpendSeriesQuery.builder(at.minusSeconds(3600), NOON, Bucket.HOUR)
            .by(SpendGroup.TEAM)
            .build();

    assertThat(admin.spendSeries(lead, q))
        .containsExactly(bucket("2026-11-27T10:00", "t1", 1, 100));
    assertThat(admin.spendSeries(lead, q.toBuilder().teamId("t1").build()))
        .containsExactly(bucket("2026-11-27T10:00", "t1", 1, 100));
    assertThatThrownBy(() -> admin.spendSeries(lead, q.toBuilder().teamId("t2").build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(admin.spendSeries(Principal.MASTER, q))
        .containsExactly(
            bucket("2026-11-27T10:00", "t2", 1, 400), bucket("2026-11-27T10:00", "t1", 1, 100));
  }

  @Test
  void anLlmKeyReadsOnlyItsOwnUsersSeries() {
    Instant at = Instant.parse("2026-11-27T10:30:00Z");
    record("r1", "k1", "model-cheap", 100, at);
    record("r3", "k2", "model-cheap", 400, at);
    AdminService admin = new AdminService(stores, new MutableClock(NOON), ZoneOffset.UTC);
    var own =
        new Principal.Keyed(
            stores.keys().findById("k2").orElseThrow(),
            stores.users().findById("u2"),
            stores.teams().findById("t2"));
    var q = SpendSeriesQuery.all(at.minusSeconds(3600), NOON, Bucket.HOUR);

    assertThat(admin.spendSeries(own, q))
        .containsExactly(bucket("2026-11-27T10:00", SpendBucket.ALL, 1, 400));
    assertThatThrownBy(() -> admin.spendSeries(own, q.toBuilder().userId("u1").build()))
        .isInstanceOf(PermissionDeniedException.class);
  }
}

package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.chat.TokenUsage;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendStatus;
import io.llmgateway.core.spend.SpendTotal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresSpendLogTest extends PostgresTestBase {
  private static final Instant DAY1 = Instant.parse("2026-11-26T23:30:00Z");
  private static final Instant DAY2 = Instant.parse("2026-11-27T10:00:00Z");

  @BeforeAll
  void writeSpend() {
    write("r1", "k1", Optional.of("t1"), "model-cheap", 100, 10, 1_000, DAY1);
    write("r2", "k1", Optional.of("t1"), "model-smart", 200, 20, 5_000, DAY2);
    write("r3", "k2", Optional.empty(), "model-cheap", 300, 30, 2_000, DAY2.plusSeconds(60));
  }

  private void write(
      String request,
      String key,
      Optional<String> team,
      String model,
      long in,
      long out,
      long cost,
      Instant at) {
    SpendRecord pending =
        new SpendRecord(
            request,
            key,
            Optional.empty(),
            team,
            model,
            Optional.empty(),
            Optional.empty(),
            Money.ZERO,
            SpendStatus.PENDING,
            Optional.empty(),
            0,
            at.minusSeconds(1),
            at.minusSeconds(1));
    String rid = id("res");
    stores
        .ledger()
        .reserve(
            new ReservationRequest(
                rid,
                List.of(line(teamDaily("spend-test", at), Money.ofUsd("1"))),
                Money.ofNanos(cost),
                at.minusSeconds(1),
                at.plusSeconds(60),
                pending));
    stores
        .ledger()
        .settle(
            rid,
            pending.finish(
                Optional.of(new TokenUsage(in, out, 5, 0, TokenUsage.Source.REPORTED)),
                Money.ofNanos(cost),
                SpendStatus.SUCCESS,
                Optional.empty(),
                at));
  }

  @Test
  void queriesNewestFirstWithFilters() {
    var all = stores.spendLog().query(SpendQuery.all(PageRequest.first(10)));
    assertThat(all.items()).extracting(SpendRecord::requestId).containsExactly("r3", "r2", "r1");
    var k1 =
        stores
            .spendLog()
            .query(SpendQuery.builder(PageRequest.first(10)).keyId("k1").from(DAY2).build());
    assertThat(k1.items()).extracting(SpendRecord::requestId).containsExactly("r2");
    assertThat(k1.items().get(0).usage().orElseThrow().cacheReadTokens()).isEqualTo(5);
  }

  @Test
  void reportsTotalsByTeamWithMissingTeamsGrouped() {
    List<SpendTotal> byTeam =
        stores
            .spendLog()
            .report(
                SpendGroup.TEAM, DAY1.minusSeconds(3600), DAY2.plusSeconds(3600), ZoneOffset.UTC);
    assertThat(byTeam)
        .containsExactly(
            new SpendTotal("t1", 2, 100 + 5 + 200 + 5, 30, Money.ofNanos(6_000)),
            new SpendTotal(PostgresSpendLog.NONE, 1, 305, 30, Money.ofNanos(2_000)));
  }

  @Test
  void reportsDaysInTheRequestedZone() {
    Instant from = DAY1.minusSeconds(86_400);
    Instant to = DAY2.plusSeconds(86_400);
    assertThat(stores.spendLog().report(SpendGroup.DAY, from, to, ZoneOffset.UTC))
        .extracting(SpendTotal::group)
        .containsExactly("2026-11-27", "2026-11-26");
    // 23:30 UTC on the 26th is already the 27th in Berlin (UTC+1) and at +01:00
    assertThat(stores.spendLog().report(SpendGroup.DAY, from, to, ZoneId.of("Europe/Berlin")))
        .extracting(SpendTotal::group)
        .containsExactly("2026-11-27");
    assertThat(stores.spendLog().report(SpendGroup.DAY, from, to, ZoneOffset.ofHours(1)))
        .extracting(SpendTotal::group)
        .containsExactly("2026-11-27");
  }

  @Test
  void reportsByModelAndKey() {
    Instant from = DAY1.minusSeconds(3600);
    Instant to = DAY2.plusSeconds(3600);
    assertThat(stores.spendLog().report(SpendGroup.MODEL, from, to, ZoneOffset.UTC))
        .extracting(SpendTotal::group, SpendTotal::cost)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("model-smart", Money.ofNanos(5_000)),
            org.assertj.core.groups.Tuple.tuple("model-cheap", Money.ofNanos(3_000)));
    assertThat(stores.spendLog().report(SpendGroup.KEY, from, to, ZoneOffset.UTC))
        .extracting(SpendTotal::group)
        .containsExactly("k1", "k2");
  }
}

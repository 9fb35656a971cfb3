package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.identity.ApiKeys;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Hostile text in every field: stored verbatim, or refused cleanly with nothing half-written. */
class BadInputTest extends PostgresTestBase {
  private static final String SQL = "x'); DROP TABLE teams; -- \" \\ %_ $1 ;";
  private static final String EMOJI = "🦄 teams ✨ 日本語 \uD83D\uDC4D";

  @Test
  void sqlMetacharactersAreStoredVerbatim() {
    Team t =
        new Team(
            "t-" + SQL.hashCode(),
            SQL,
            Optional.of(SQL),
            List.of(SQL),
            List.of(),
            List.of(),
            RateLimits.NONE,
            false,
            Map.of(SQL, SQL),
            NOW,
            NOW,
            Optional.empty());
    stores.teams().insert(t);
    assertThat(stores.teams().findByAlias(SQL)).contains(t);
    assertThat(stores.teams().list(PageRequest.first(100)).items()).contains(t);
  }

  @Test
  void emojiInEveryTextFieldRoundTrips() {
    Team t =
        new Team(
            id("team") + "🦄",
            EMOJI,
            Optional.of(EMOJI),
            List.of(EMOJI),
            List.of(),
            List.of(),
            RateLimits.NONE,
            false,
            Map.of(EMOJI, List.of(EMOJI)),
            NOW,
            NOW,
            Optional.empty());
    stores.teams().insert(t);
    User u =
        new User(
            id("user") + "✨",
            Optional.of(EMOJI + "@example.com"),
            Optional.of(EMOJI),
            Optional.of(t.id()),
            UserRole.INTERNAL_USER,
            List.of(EMOJI),
            List.of(),
            RateLimits.NONE,
            Map.of("note", EMOJI),
            NOW,
            NOW,
            Optional.empty());
    stores.users().insert(u);
    String plain = ApiKeys.generate();
    VirtualKey k =
        new VirtualKey(
            id("key") + "👍",
            KeyHash.of(plain),
            ApiKeys.displayPrefix(plain),
            Optional.of(EMOJI),
            Optional.of(u.id()),
            Optional.of(t.id()),
            io.llmgateway.core.identity.KeyRole.LLM_API,
            List.of(EMOJI),
            List.of(),
            RateLimits.NONE,
            false,
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Map.of(EMOJI, EMOJI),
            NOW,
            NOW,
            Optional.empty());
    stores.keys().insert(k);
    var p = stores.keys().findPrincipal(KeyHash.of(plain), NOW).orElseThrow();
    assertThat(p.key()).isEqualTo(k);
    assertThat(p.user()).contains(u);
    assertThat(p.team()).contains(t);
    AuditEvent e =
        new AuditEvent(id("ev"), NOW, EMOJI, EMOJI, "team", EMOJI, Map.of(EMOJI, EMOJI), Map.of());
    stores.auditLog().append(e);
    assertThat(stores.auditLog().list(Optional.of("team"), PageRequest.first(10)).items())
        .contains(e);
  }

  @Test
  void aNulByteInMetadataIsAnInvalidRequestAndNothingIsStored() {
    Team t =
        new Team(
            id("team"),
            id("alias"),
            Optional.empty(),
            List.of(),
            List.of(),
            List.of(),
            RateLimits.NONE,
            false,
            Map.of("note", "a\u0000b"),
            NOW,
            NOW,
            Optional.empty());
    assertThatThrownBy(() -> stores.teams().insert(t))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("NUL");
    assertThat(stores.teams().findById(t.id())).isEmpty();
  }

  @Test
  void aNulByteInAFreeTextFieldIsAnInvalidRequest() {
    AuditEvent e =
        new AuditEvent(id("ev"), NOW, "ad\u0000min", "x", "team", "t", Map.of(), Map.of());
    assertThatThrownBy(() -> stores.auditLog().append(e))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("NUL");
  }

  @Test
  void aNulByteInALookupIsAnInvalidRequestNotAServerError() {
    assertThatThrownBy(() -> stores.teams().findByAlias("a\u0000b"))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void tenThousandCharacterAliasesAreRefusedBeforeTheDatabase() {
    String huge = "a".repeat(10_000);
    assertThatThrownBy(
            () ->
                new Team(
                    id("team"),
                    huge,
                    Optional.empty(),
                    List.of(),
                    List.of(),
                    List.of(),
                    RateLimits.NONE,
                    false,
                    Map.of(),
                    NOW,
                    NOW,
                    Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("longer than");
    assertThat(stores.teams().findByAlias(huge)).isEmpty(); // a lookup is merely a miss
  }

  @Test
  void anOversizedValueTheDomainAllowsIsACleanErrorInTheDatabase() {
    String huge = "a".repeat(10_000);
    AuditEvent e = new AuditEvent(id("ev"), NOW, huge, "x", "team", "t", Map.of(), Map.of());
    assertThatThrownBy(() -> stores.auditLog().append(e))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void aSettleThatCannotBeWrittenLeavesTheReservationAndCountersUntouched() {
    CounterKey team = teamDaily(id("team"), NOW);
    String rid = id("res");
    var pending = TestData.pending(rid, "t", NOW);
    stores
        .ledger()
        .reserve(
            new ReservationRequest(
                rid,
                List.of(line(team, Money.ofNanos(1_000))),
                Money.ofNanos(100),
                NOW,
                NOW.plusSeconds(60),
                pending));
    SpendRecord bad =
        new SpendRecord(
            rid,
            "key_1",
            Optional.empty(),
            Optional.empty(),
            "m".repeat(10_000),
            Optional.empty(),
            Optional.empty(),
            Money.ofNanos(50),
            io.llmgateway.core.spend.SpendStatus.SUCCESS,
            Optional.empty(),
            0,
            NOW,
            NOW);

    assertThatThrownBy(() -> stores.ledger().settle(rid, bad))
        .isInstanceOf(InvalidRequestException.class);

    assertThat(stores.ledger().balances(List.of(team)).get(team))
        .isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(100)));
    assertThat(stores.spendLog().query(SpendQuery.all(PageRequest.first(10))).items())
        .noneMatch(r -> r.requestId().equals(rid));
    // the reservation is still held and settles normally with a good record
    assertThat(stores.ledger().settle(rid, TestData.finished(pending, Money.ofNanos(50), NOW)))
        .isTrue();
  }

  @Test
  void aReservationWithANulByteInItsPendingRecordHoldsNothing() {
    CounterKey team = teamDaily(id("team"), NOW);
    String rid = id("res");
    var pending =
        new SpendRecord(
            rid,
            "key\u0000",
            Optional.empty(),
            Optional.empty(),
            "m",
            Optional.empty(),
            Optional.empty(),
            Money.ZERO,
            io.llmgateway.core.spend.SpendStatus.PENDING,
            Optional.empty(),
            0,
            NOW,
            NOW);
    assertThatThrownBy(
            () ->
                stores
                    .ledger()
                    .reserve(
                        new ReservationRequest(
                            rid,
                            List.of(line(team, Money.ofNanos(1_000))),
                            Money.ofNanos(100),
                            NOW,
                            NOW.plusSeconds(60),
                            pending)))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(stores.ledger().balances(List.of(team)).get(team)).isEqualTo(CounterBalance.EMPTY);
    ReserveOutcome ok =
        stores
            .ledger()
            .reserve(
                new ReservationRequest(
                    rid,
                    List.of(line(team, Money.ofNanos(1_000))),
                    Money.ofNanos(100),
                    NOW,
                    NOW.plusSeconds(60),
                    TestData.pending(rid, "t", NOW)));
    assertThat(ok).isInstanceOf(ReserveOutcome.Reserved.class);
  }
}

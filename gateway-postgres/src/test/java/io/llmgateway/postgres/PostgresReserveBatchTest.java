package io.llmgateway.postgres;

import static io.llmgateway.postgres.TestData.NOW;
import static io.llmgateway.postgres.TestData.finished;
import static io.llmgateway.postgres.TestData.id;
import static io.llmgateway.postgres.TestData.line;
import static io.llmgateway.postgres.TestData.reservation;
import static io.llmgateway.postgres.TestData.teamDaily;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterBalance;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.budget.ReserveOutcome;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.money.Money;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ledger_reserve_batch (V103): several reserves in one statement, each as a lone one would be. */
class PostgresReserveBatchTest extends PostgresTestBase {

  private PostgresBudgetLedger ledger() {
    return (PostgresBudgetLedger) stores.ledger();
  }

  private CounterBalance balance(CounterKey k) {
    return ledger().balances(List.of(k)).get(k);
  }

  private static ReservationRequest request(String rid, long amount, BudgetLine... lines) {
    return reservation(rid, List.of(lines), Money.ofNanos(amount), NOW, NOW.plusSeconds(60));
  }

  @Test
  void requestsAreDecidedInOrderEachSeeingTheOnesBeforeIt() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, Money.ofNanos(1_000));

    List<ReserveOutcome> outcomes =
        ledger()
            .reserveAll(
                List.of(
                    request(id("a"), 600, l), request(id("b"), 600, l), request(id("c"), 400, l)));

    assertThat(outcomes.get(0)).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(outcomes.get(1))
        .isEqualTo(
            new ReserveOutcome.Refused(l, new CounterBalance(Money.ZERO, Money.ofNanos(600))));
    assertThat(outcomes.get(2)).isInstanceOf(ReserveOutcome.Reserved.class);
    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(1_000)));
  }

  @Test
  void aRefusedRequestHoldsNothingOnAnyOfItsLines() {
    CounterKey team = teamDaily(id("team"), NOW);
    CounterKey user = new CounterKey(BudgetScope.user(id("user")), BudgetWindow.MONTHLY, "2026-11");
    BudgetLine roomy = line(team, Money.ofNanos(1_000_000));
    BudgetLine tight = line(user, Money.ofNanos(100));

    List<ReserveOutcome> outcomes =
        ledger()
            .reserveAll(
                List.of(request(id("a"), 90, roomy, tight), request(id("b"), 20, roomy, tight)));

    assertThat(outcomes.get(0)).isInstanceOf(ReserveOutcome.Reserved.class);
    // Lines in lock order: TEAM (1) then USER (2); the user's line is the one without room.
    assertThat(outcomes.get(1))
        .isEqualTo(
            new ReserveOutcome.Refused(tight, new CounterBalance(Money.ZERO, Money.ofNanos(90))));
    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(90)));
    assertThat(balance(user)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(90)));
  }

  @Test
  void batchReservationsSettleLikeAnyOther() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, Money.ofNanos(1_000));
    String a = id("a");
    String b = id("b");
    ledger().reserveAll(List.of(request(a, 300, l), request(b, 300, l)));

    assertThat(
            ledger()
                .settle(
                    a,
                    finished(TestData.pending(a, team.scope().id(), NOW), Money.ofNanos(10), NOW)))
        .isTrue();
    assertThat(ledger().expire(NOW.plusSeconds(61))).isPositive(); // b, and other tests' leftovers

    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ofNanos(310), Money.ZERO));
  }

  @Test
  void aBatchWithAnIdAlreadyTakenFailsWholeAndHoldsNothing() {
    CounterKey team = teamDaily(id("team"), NOW);
    BudgetLine l = line(team, Money.ofNanos(1_000));
    String taken = id("taken");
    ledger().reserve(request(taken, 100, l));

    assertThatThrownBy(
            () -> ledger().reserveAll(List.of(request(id("new"), 100, l), request(taken, 100, l))))
        .isInstanceOf(ConflictException.class);
    assertThat(balance(team)).isEqualTo(new CounterBalance(Money.ZERO, Money.ofNanos(100)));
  }

  @Test
  void batchedSettlesCommitWithoutWaitingForTheWalFlushButOnlyTheirOwnTransaction()
      throws Exception {
    assertThat(synchronousCommitDuringAndAfter("SELECT ledger_write_batch('[]'::jsonb, false)"))
        .containsExactly("off", "on");
    assertThat(synchronousCommitDuringAndAfter("SELECT ledger_write_batch('[]'::jsonb, true)"))
        .containsExactly("on", "on");
  }
}

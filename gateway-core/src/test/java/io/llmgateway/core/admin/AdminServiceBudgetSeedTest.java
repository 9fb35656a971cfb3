package io.llmgateway.core.admin;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.spend;
import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.money.Money;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a budget window added mid-period to a team, a team's members or a key starts from what
 * the period has already spent (the spend log), not from zero.
 */
class AdminServiceBudgetSeedTest extends AdminFixture {

  /** A request of {@code key}/{@code user} in {@code team} that cost {@code cost}, on no budget. */
  private void spent(String id, String key, String user, String team, Money cost) {
    var elsewhere =
        new BudgetLine(
            new CounterKey(BudgetScope.team("elsewhere"), BudgetWindow.DAILY, "2026-11-27"),
            Money.MAX,
            Instant.parse("2026-11-28T00:00:00Z"));
    stores
        .ledger()
        .reserve(
            new ReservationRequest(
                id,
                List.of(elsewhere),
                cost,
                T0,
                T0.plusSeconds(60),
                spend(id, key).user(user).team(team).pending()));
    stores.ledger().settle(id, spend(id, key).user(user).team(team).cost(cost).build());
  }

  private BudgetStatus monthly(BudgetScope scope) {
    return admin.budgetStatus(MASTER, scope).stream()
        .filter(s -> s.window() == BudgetWindow.MONTHLY)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void aTeamBudgetAddedMidMonthStartsFromTheMonthsSpend() {
    admin.createUser(MASTER, UserSpec.member("alice", "drafting"));
    spent("r1", "k-a", "alice", "drafting", usd("0.30"));
    spent("r2", "k-b", "bob", "coding", usd("0.90")); // another team's spend does not count

    admin.updateTeam(
        MASTER,
        "drafting",
        new TeamPatch(
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.of(List.of(BudgetLimit.monthly(usd("0.35")))),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            java.util.Optional.empty(),
            Optional.empty()));

    BudgetStatus team = monthly(BudgetScope.team("drafting"));
    assertThat(team.committed()).isEqualTo(usd("0.30"));
    assertThat(team.remaining()).isEqualTo(usd("0.05"));
  }

  @Test
  void aMemberBudgetAddedToATeamStartsEachMemberFromTheirOwnSpend() {
    // coding has a daily member budget only; alice and bob spent this month.
    admin.createUser(MASTER, UserSpec.member("alice", "coding"));
    admin.createUser(MASTER, UserSpec.member("bob", "coding"));
    spent("r1", "k-a", "alice", "coding", usd("0.40"));
    spent("r2", "k-b", "bob", "coding", usd("0.10"));

    admin.updateTeam(
        MASTER,
        "coding",
        TeamPatch.NONE.toBuilder()
            .memberBudgets(
                List.of(BudgetLimit.daily(usd("0.033")), BudgetLimit.monthly(usd("1.00"))))
            .build());

    assertThat(monthly(BudgetScope.user("alice")).committed()).isEqualTo(usd("0.40"));
    assertThat(monthly(BudgetScope.user("bob")).committed()).isEqualTo(usd("0.10"));
  }

  @Test
  void aKeyBudgetAddedLaterStartsFromTheKeysSpend() {
    IssuedKey k =
        admin.generateKey(MASTER, KeySpec.forUser("carol").toBuilder().teamId("coding").build());
    spent("r1", k.key().id(), "carol", "coding", usd("0.25"));

    admin.updateKey(
        MASTER,
        k.key().id(),
        KeyPatch.NONE.toBuilder().budgets(List.of(BudgetLimit.monthly(usd("0.30")))).build());

    assertThat(monthly(BudgetScope.key(k.key().id())).remaining()).isEqualTo(usd("0.05"));
  }
}

package io.llmgateway.core.admin;

import static io.llmgateway.core.testing.Fixtures.T0;
import static io.llmgateway.core.testing.Fixtures.spend;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetLine;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.budget.BudgetWindow;
import io.llmgateway.core.budget.CounterKey;
import io.llmgateway.core.budget.ReservationRequest;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.testing.Fixtures;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminServiceBudgetsAndModelsTest extends AdminFixture {

  private void charge(String requestId, String userId, Money reserve, Money actual) {
    var line =
        new BudgetLine(
            new CounterKey(BudgetScope.user(userId), BudgetWindow.DAILY, "2026-11-27"),
            Money.MAX,
            Instant.parse("2026-11-28T00:00:00Z"));
    stores
        .ledger()
        .reserve(
            new ReservationRequest(
                requestId,
                List.of(line),
                reserve,
                T0,
                T0.plusSeconds(60),
                spend(requestId, "k").user(userId).pending()));
    if (actual != null) {
      stores.ledger().settle(requestId, spend(requestId, "k").user(userId).cost(actual).build());
    }
  }

  @Test
  void aUsersOwnBudgetOverridesTheTiersMemberBudgetForThatWindow() {
    admin.createUser(
        MASTER,
        UserSpec.member("alice", "drafting").toBuilder()
            .budgets(List.of(BudgetLimit.daily(usd("0.05"))))
            .build());

    var status = admin.budgetStatus(MASTER, BudgetScope.user("alice"));

    assertThat(status)
        .extracting(BudgetStatus::window)
        .containsExactly(BudgetWindow.DAILY, BudgetWindow.MONTHLY);
    assertThat(status.get(0).limit()).isEqualTo(usd("0.05"));
    assertThat(status.get(1).limit()).isEqualTo(usd("0.50"));
  }

  @Test
  void aTeamKeyWithoutAUserShowsTheMemberBudgetsItIsHeldToOnItsOwnCounter() {
    // Admission holds a service key (team, no user) to its tier's member budgets on the key's
    // counter; a budget read of that key shows those same limits.
    IssuedKey k =
        admin.generateKey(
            MASTER,
            new KeySpec(
                java.util.Optional.empty(),
                java.util.Optional.of("drafting"),
                java.util.Optional.empty(),
                io.llmgateway.core.identity.KeyRole.LLM_API,
                List.of(),
                List.of(),
                io.llmgateway.core.identity.RateLimits.NONE,
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                false,
                java.util.Map.of(),
                java.util.Optional.empty()));

    var status = admin.budgetStatus(MASTER, BudgetScope.key(k.key().id()));

    assertThat(status)
        .extracting(BudgetStatus::window)
        .containsExactly(BudgetWindow.DAILY, BudgetWindow.MONTHLY);
    assertThat(status.get(0).limit()).isEqualTo(usd("0.017"));
    assertThat(status.get(0).scope()).isEqualTo(BudgetScope.key(k.key().id()));
  }

  @Test
  void budgetStatusShowsCommittedReservedRemainingPeriodAndReset() {
    admin.createUser(MASTER, UserSpec.member("alice", "drafting"));
    charge("r1", "alice", usd("0.005"), usd("0.002"));
    charge("r2", "alice", usd("0.004"), null);

    BudgetStatus daily = admin.budgetStatus(MASTER, BudgetScope.user("alice")).getFirst();

    assertThat(daily.committed()).isEqualTo(usd("0.002"));
    assertThat(daily.reserved()).isEqualTo(usd("0.004"));
    assertThat(daily.remaining()).isEqualTo(usd("0.011"));
    assertThat(daily.period()).isEqualTo("2026-11-27");
    assertThat(daily.resetsAt()).isEqualTo(Instant.parse("2026-11-28T00:00:00Z"));
  }

  @Test
  void anLlmKeyReadsItsOwnUsersBudget() {
    Principal.Keyed alice = llmKey("alice", "drafting");

    assertThat(admin.budgetStatus(alice, BudgetScope.user("alice"))).hasSize(2);
    assertThat(admin.budgetStatus(alice, BudgetScope.key(alice.key().id()))).isEmpty();
  }

  @Test
  void spendLogsOfAnLlmKeyAreItsUsersRows() {
    Principal.Keyed alice = llmKey("alice", "drafting");
    llmKey("bob", "drafting");
    charge("r1", "alice", usd("0.001"), usd("0.001"));
    charge("r2", "bob", usd("0.001"), usd("0.001"));

    var rows = admin.spendLogs(alice, SpendQuery.all(PageRequest.first(10))).items();

    assertThat(rows).extracting(r -> r.requestId()).containsExactly("r1");
    assertThat(admin.spendLogs(MASTER, SpendQuery.all(PageRequest.first(10))).total()).isEqualTo(2);
  }

  @Test
  void theSpendReportGroupsForAProxyAdmin() {
    charge("r1", "alice", usd("0.003"), usd("0.003"));
    charge("r2", "bob", usd("0.001"), usd("0.001"));

    var report = admin.spendReport(MASTER, SpendGroup.USER, T0, T0.plusSeconds(3600));

    assertThat(report).extracting(t -> t.group()).containsExactly("alice", "bob");
  }

  @Test
  void theApiCannotOverwriteADeploymentFromTheModelsFile() {
    admin.upsertDeployment(
        MASTER,
        Fixtures.deployment("micro", "model-cheap").source(Deployment.Source.CONFIG).build());

    assertThatThrownBy(
            () ->
                admin.upsertDeployment(MASTER, Fixtures.deployment("micro", "model-cheap").build()))
        .isInstanceOf(ConflictException.class);
    assertThat(lastAudit().action()).isEqualTo("model.create");
  }

  @Test
  void aKeySeesOnlyTheModelsItsTeamAllows() {
    admin.upsertDeployment(MASTER, Fixtures.deployment("micro", "model-cheap").build());
    admin.upsertDeployment(MASTER, Fixtures.deployment("lite", "model-balanced").build());
    Principal.Keyed alice = llmKey("alice", "drafting");

    assertThat(admin.models(alice)).extracting(LogicalModel::name).containsExactly("model-cheap");
    assertThat(admin.models(MASTER)).hasSize(CATALOG.size());
  }

  @Test
  void deletingADeploymentIsAudited() {
    admin.upsertDeployment(MASTER, Fixtures.deployment("micro", "model-new").build());

    admin.deleteDeployment(MASTER, "micro");

    assertThat(admin.models(MASTER)).extracting(LogicalModel::name).doesNotContain("model-new");
    assertThat(lastAudit().action()).isEqualTo("model.delete");
  }
}

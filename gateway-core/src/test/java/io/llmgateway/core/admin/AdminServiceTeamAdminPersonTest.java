package io.llmgateway.core.admin;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.Team;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendTotal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A team admin person ({@link Grant.TeamAdmin} of drafting and coding) administers each of its
 * teams as a team-admin key administers its one team, and sees nothing of a third team (architect):
 * not found, exactly like a missing object.
 */
class AdminServiceTeamAdminPersonTest extends AdminFixture {
  static final Principal.Person LEAD =
      person("lead@example.com", new Grant.TeamAdmin(Set.of("drafting", "coding")));

  Principal.Keyed alice; // drafting
  Principal.Keyed carol; // coding
  Principal.Keyed zoe; // architect: not LEAD's

  @BeforeEach
  void data() {
    admin.createTeam(
        MASTER,
        TeamSpec.named("architect").toBuilder()
            .memberBudgets(List.of(BudgetLimit.daily(usd("0.067"))))
            .build());
    alice = llmKey("alice", "drafting");
    carol = llmKey("carol", "coding");
    zoe = llmKey("zoe", "architect");
    charge("r1", alice.key().id(), "alice", "drafting", usd("0.002"));
    charge("r2", carol.key().id(), "carol", "coding", usd("0.003"));
    charge("r3", zoe.key().id(), "zoe", "architect", usd("0.005"));
  }

  @Test
  void seesTheDataOfItsTeamsOnly() {
    PageRequest page = PageRequest.first(100);
    assertThat(admin.teams(LEAD, page).items())
        .extracting(Team::id)
        .containsExactly("coding", "drafting");
    assertThat(admin.users(LEAD, UserQuery.all(page)).items())
        .extracting(User::id)
        .containsExactlyInAnyOrder("alice", "carol");
    assertThat(admin.keys(LEAD, KeyQuery.all(page)).items())
        .extracting(VirtualKey::id)
        .containsExactlyInAnyOrder(alice.key().id(), carol.key().id());
    assertThat(admin.spendLogs(LEAD, SpendQuery.all(page)).items())
        .extracting(SpendRecord::requestId)
        .containsExactlyInAnyOrder("r1", "r2");
    assertThat(admin.spendReport(LEAD, SpendGroup.TEAM, T0, T0.plusSeconds(3600)))
        .extracting(SpendTotal::group)
        .containsExactlyInAnyOrder("drafting", "coding");
    assertThat(admin.budgetStatus(LEAD, BudgetScope.user("carol")))
        .isEqualTo(admin.budgetStatus(MASTER, BudgetScope.user("carol")))
        .isNotEmpty();
    assertThat(admin.user(LEAD, "carol").id()).isEqualTo("carol");
  }

  @Test
  void anotherTeamsObjectsAreNotFound() {
    assertThatThrownBy(() -> admin.team(LEAD, "architect")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.user(LEAD, "zoe")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.key(LEAD, zoe.key().id())).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.budgetStatus(LEAD, BudgetScope.user("zoe")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.blockKey(LEAD, zoe.key().id(), true))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.updateUser(LEAD, "zoe", UserPatch.NONE))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.createUser(LEAD, UserSpec.member("x", "architect")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () ->
                admin.users(
                    LEAD, UserQuery.builder(PageRequest.first(9)).team("architect").build()))
        .isInstanceOf(PermissionDeniedException.class);
    var filtered = SpendQuery.builder(PageRequest.first(9)).teamId("architect").build();
    assertThatThrownBy(() -> admin.spendLogs(LEAD, filtered))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(admin.key(MASTER, zoe.key().id()).blocked()).isFalse();
  }

  @Test
  void managesUsersAndKeysOfEachOfItsTeamsAuditedUnderItsName() {
    admin.createUser(LEAD, UserSpec.member("dave", "coding"));
    IssuedKey issued = admin.generateKey(LEAD, KeySpec.forUser("dave"));
    admin.blockKey(LEAD, alice.key().id(), true);
    admin.regenerateKey(LEAD, carol.key().id(), Optional.empty());

    assertThat(issued.key().teamId()).contains("coding");
    assertThat(issued.key().models()).containsExactly("model-cheap", "model-balanced");
    assertThat(admin.key(MASTER, alice.key().id()).blocked()).isTrue();
    assertThat(lastAudit().actor()).isEqualTo("ui:lead@example.com");
    // With two teams it must say which: the user would otherwise land outside both.
    UserSpec noTeam =
        new UserSpec(
            Optional.of("eve"),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            UserRole.INTERNAL_USER,
            List.of(),
            List.of(),
            io.llmgateway.core.identity.RateLimits.NONE,
            java.util.Map.of());
    assertThatThrownBy(() -> admin.createUser(LEAD, noTeam))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void handsOutNoMoreThanTheTeamGives() {
    admin.createUser(LEAD, UserSpec.member("dave", "drafting"));

    assertThatThrownBy(
            () ->
                admin.generateKey(
                    LEAD,
                    KeySpec.forUser("dave").toBuilder().models(List.of("model-balanced")).build()))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("model-balanced");
    assertThatThrownBy(
            () ->
                admin.generateKey(
                    LEAD,
                    KeySpec.forUser("dave").toBuilder()
                        .budgets(List.of(BudgetLimit.daily(usd("0.018"))))
                        .build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(
            () ->
                admin.generateKey(
                    LEAD, KeySpec.forUser("dave").toBuilder().role(KeyRole.TEAM_ADMIN).build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(
            () ->
                admin.createUser(
                    LEAD,
                    UserSpec.member("boss", "drafting").toBuilder()
                        .role(UserRole.PROXY_ADMIN)
                        .build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(
            () ->
                admin.updateKey(
                    LEAD,
                    alice.key().id(),
                    KeyPatch.NONE.toBuilder()
                        .budgets(List.of(BudgetLimit.monthly(usd("0.51"))))
                        .build()))
        .isInstanceOf(PermissionDeniedException.class);
    // Within the team: allowed, and a key without budgets gets the member budgets.
    IssuedKey ok =
        admin.generateKey(
            LEAD,
            KeySpec.forUser("dave").toBuilder()
                .budgets(List.of(BudgetLimit.daily(usd("0.010"))))
                .build());
    assertThat(ok.key().budgets())
        .containsExactlyInAnyOrder(
            BudgetLimit.daily(usd("0.010")), BudgetLimit.monthly(usd("0.50")));
  }

  @Test
  void changesNoTeamReadsNoAuditLogAndManagesNoOperators() {
    assertThatThrownBy(() -> admin.updateTeam(LEAD, "coding", TeamPatch.NONE))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessage("a team admin may not change teams");
    assertThatThrownBy(() -> admin.createTeam(LEAD, TeamSpec.named("x")))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.auditEvents(LEAD, Optional.empty(), PageRequest.first(5)))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.operators(LEAD)).isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.createOperator(LEAD, "me@example.com", new Grant.ProxyAdmin()))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void pagingAcrossItsTeamsVisitsEveryUserOnce() {
    for (int i = 0; i < 3; i++) {
      admin.createUser(MASTER, UserSpec.member("d" + i, "drafting"));
      admin.createUser(MASTER, UserSpec.member("c" + i, "coding"));
    }
    List<String> seen = new ArrayList<>();
    long total = -1;
    for (int p = 1; p <= 5; p++) {
      var page = admin.users(LEAD, UserQuery.all(new PageRequest(p, 2)));
      total = page.total();
      page.items().forEach(u -> seen.add(u.id()));
    }
    assertThat(total).isEqualTo(8);
    assertThat(seen)
        .hasSize(8)
        .doesNotHaveDuplicates()
        .containsExactlyInAnyOrder("alice", "carol", "d0", "d1", "d2", "c0", "c1", "c2");
  }
}

package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.testing.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdminServiceRolesTest extends AdminFixture {

  @Test
  void anLlmKeyCannotAdministerAnything() {
    Principal.Keyed user = llmKey("alice", "drafting");

    assertThatThrownBy(() -> admin.createTeam(user, TeamSpec.named("mine")))
        .isInstanceOf(PermissionDeniedException.class);
    // An LLM key may not see its team's settings, so the team is not found to it.
    assertThatThrownBy(() -> admin.createUser(user, UserSpec.member("eve", "drafting")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.createUser(user, UserSpec.member("eve", "no-such-team")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.generateKey(user, KeySpec.forUser("alice")))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.blockKey(user, user.key().id(), false))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.users(user, UserQuery.all(PageRequest.first(10))))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.upsertDeployment(user, Fixtures.deployment("d", "m").build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(
            () -> admin.spendReport(user, SpendGroup.KEY, Fixtures.T0, Fixtures.T0.plusSeconds(1)))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void anLlmKeyReadsItsOwnKeyAndUserButNobodyElses() {
    Principal.Keyed alice = llmKey("alice", "drafting");
    Principal.Keyed bob = llmKey("bob", "drafting");

    assertThat(admin.key(alice, alice.key().id()).id()).isEqualTo(alice.key().id());
    assertThat(admin.user(alice, "alice").id()).isEqualTo("alice");
    assertThat(admin.keys(alice, KeyQuery.all(PageRequest.first(10))).items())
        .extracting(VirtualKey::id)
        .containsExactly(alice.key().id());
    // Not found, exactly as if they did not exist (issue 15, finding 13).
    assertThatThrownBy(() -> admin.key(alice, bob.key().id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.user(alice, "bob")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.budgetStatus(alice, BudgetScope.user("bob")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void anLlmKeyReadsOnlyItsOwnSpend() {
    Principal.Keyed alice = llmKey("alice", "drafting");
    var query = SpendQuery.builder(PageRequest.first(10)).userId("bob").build();

    assertThatThrownBy(() -> admin.spendLogs(alice, query))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(admin.spendLogs(alice, SpendQuery.all(PageRequest.first(10))).total()).isZero();
  }

  @Test
  void aProxyAdminKeyMayDoEverythingTheMasterKeyMay() {
    Principal.Keyed root =
        principal(
            admin.generateKey(
                MASTER, KeySpec.builder().userId("root").role(KeyRole.PROXY_ADMIN).build()));

    admin.createTeam(root, TeamSpec.named("architect"));

    assertThat(lastAudit().actor()).isEqualTo(root.key().id());
  }

  @Test
  void aTeamAdminIssuesLlmKeysInItsOwnTeamOnly() {
    Principal.Keyed lead = teamAdmin("drafting", List.of());

    IssuedKey issued = admin.generateKey(lead, KeySpec.forUser("newbie"));

    assertThat(issued.key().teamId()).contains("drafting");
    assertThat(admin.user(lead, "newbie").teamId()).contains("drafting");
    assertThat(lastAudit().actor()).isEqualTo(lead.key().id());
    assertThatThrownBy(
            () -> admin.generateKey(lead, KeySpec.builder().userId("x").teamId("coding").build()))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aTeamAdminCannotIssueAdminKeys() {
    Principal.Keyed lead = teamAdmin("drafting", List.of());

    assertThatThrownBy(
            () ->
                admin.generateKey(
                    lead, KeySpec.builder().userId("x").role(KeyRole.TEAM_ADMIN).build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(
            () ->
                admin.generateKey(
                    lead, KeySpec.builder().userId("x").role(KeyRole.PROXY_ADMIN).build()))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void aTeamAdminCannotIssueModelsBeyondItsTeam() {
    Principal.Keyed lead = teamAdmin("drafting", List.of());

    assertThatThrownBy(
            () ->
                admin.generateKey(
                    lead, KeySpec.builder().userId("x").models(List.of("model-reasoning")).build()))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("model-reasoning");
    assertThat(admin.generateKey(lead, KeySpec.forUser("y")).key().models())
        .containsExactly("model-cheap");
  }

  @Test
  void aTeamAdminCannotIssueABudgetAboveItsOwn() {
    Principal.Keyed lead = teamAdmin("coding", List.of(BudgetLimit.daily(usd("1.00"))));

    assertThatThrownBy(
            () ->
                admin.generateKey(
                    lead,
                    KeySpec.builder()
                        .userId("x")
                        .budgets(List.of(BudgetLimit.daily(usd("1.01"))))
                        .build()))
        .isInstanceOf(PermissionDeniedException.class);
    var issued =
        admin.generateKey(
            lead,
            KeySpec.builder().userId("y").budgets(List.of(BudgetLimit.daily(usd("0.50")))).build());
    assertThat(issued.key().budgets()).containsExactly(BudgetLimit.daily(usd("0.50")));
  }

  @Test
  void aKeyFromATeamAdminInheritsTheAdminsBudgetWhenNoneIsAsked() {
    Principal.Keyed lead = teamAdmin("coding", List.of(BudgetLimit.monthly(usd("5"))));

    var issued = admin.generateKey(lead, KeySpec.forUser("y"));

    assertThat(issued.key().budgets()).containsExactly(BudgetLimit.monthly(usd("5")));
  }

  @Test
  void aTeamAdminCannotRaiseAKeysBudgetAboveItsOwnByUpdating() {
    Principal.Keyed lead = teamAdmin("coding", List.of(BudgetLimit.daily(usd("1"))));
    var issued = admin.generateKey(lead, KeySpec.forUser("y"));

    assertThatThrownBy(
            () ->
                admin.updateKey(
                    lead,
                    issued.key().id(),
                    KeyPatch.builder().budgets(List.of(BudgetLimit.daily(usd("2")))).build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(
            () ->
                admin.updateKey(
                    lead, issued.key().id(), KeyPatch.builder().role(KeyRole.TEAM_ADMIN).build()))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void aTeamAdminCannotTouchAnotherTeamsUsersOrKeys() {
    Principal.Keyed lead = teamAdmin("drafting", List.of());
    Principal.Keyed coder = llmKey("carol", "coding");

    // Another team's objects are not found to it (issue 15, finding 13); moving its own user
    // away is refused because the target team is hidden too.

    assertThatThrownBy(() -> admin.blockKey(lead, coder.key().id(), true))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.key(lead, coder.key().id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.deleteUser(lead, "carol")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () ->
                admin.updateUser(
                    lead, "drafting-lead", UserPatch.builder().teamId("coding").build()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.createUser(lead, UserSpec.member("z", "coding")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.budgetStatus(lead, BudgetScope.team("coding")))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void aTeamAdminSeesOnlyItsOwnTeamsKeysAndUsers() {
    Principal.Keyed lead = teamAdmin("drafting", List.of());
    llmKey("alice", "drafting");
    llmKey("carol", "coding");

    assertThat(admin.keys(lead, KeyQuery.all(PageRequest.first(10))).items())
        .allSatisfy(k -> assertThat(k.teamId()).contains("drafting"))
        .hasSize(2);
    assertThat(admin.users(lead, UserQuery.all(PageRequest.first(10))).items())
        .extracting(u -> u.id())
        .containsExactlyInAnyOrder("drafting-lead", "alice");
    assertThat(admin.teams(lead, PageRequest.first(10)).items())
        .extracting(t -> t.id())
        .containsExactly("drafting");
  }

  @Test
  void aTeamAdminCannotMakeProxyAdminsOrRaiseAMembersBudgetAboveTheTier() {
    Principal.Keyed lead = teamAdmin("drafting", List.of());

    assertThatThrownBy(
            () ->
                admin.createUser(
                    lead,
                    UserSpec.member("boss", "drafting").toBuilder()
                        .role(UserRole.PROXY_ADMIN)
                        .build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(
            () ->
                admin.createUser(
                    lead,
                    UserSpec.member("rich", "drafting").toBuilder()
                        .budgets(List.of(BudgetLimit.daily(usd("0.018"))))
                        .build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(
            admin
                .createUser(
                    lead,
                    UserSpec.member("frugal", "drafting").toBuilder()
                        .budgets(List.of(BudgetLimit.daily(usd("0.010"))))
                        .build())
                .budgets())
        .containsExactly(BudgetLimit.daily(usd("0.010")));
  }

  @Test
  void aTeamAdminMayBlockItsTeamsKeys() {
    Principal.Keyed lead = teamAdmin("drafting", List.of());
    Principal.Keyed alice = llmKey("alice", "drafting");

    assertThat(admin.blockKey(lead, alice.key().id(), true).blocked()).isTrue();
  }
}

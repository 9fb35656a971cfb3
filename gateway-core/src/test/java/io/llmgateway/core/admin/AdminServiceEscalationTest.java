package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 1: a team admin never creates, moves, rotates, edits or deletes a credential or
 * user whose rights are above its own. Its team holds users of every role: a proxy-admin user
 * (whose LLM key is therefore a proxy-admin credential), a user holding a proxy-admin key, a second
 * team admin, a viewer and a plain user. Each refusal is checked to change nothing.
 */
class AdminServiceEscalationTest extends AdminFixture {
  Principal.Keyed lead;
  Principal.Keyed boss; // user_role proxy_admin, LLM key issued by the master
  Principal.Keyed ops; // internal user holding a key_type proxy_admin key
  Principal.Keyed lead2; // another team admin of the same team
  Principal.Keyed viewer; // internal_user_viewer
  Principal.Keyed alice; // internal_user

  @BeforeEach
  void team() {
    lead = teamAdmin("drafting", List.of());
    admin.createUser(
        MASTER, UserSpec.member("boss", "drafting").toBuilder().role(UserRole.PROXY_ADMIN).build());
    boss = principal(admin.generateKey(MASTER, KeySpec.forUser("boss")));
    ops =
        principal(
            admin.generateKey(
                MASTER,
                KeySpec.builder()
                    .userId("ops")
                    .teamId("drafting")
                    .role(KeyRole.PROXY_ADMIN)
                    .build()));
    lead2 =
        principal(
            admin.generateKey(
                MASTER,
                KeySpec.builder()
                    .userId("lead2")
                    .teamId("drafting")
                    .role(KeyRole.TEAM_ADMIN)
                    .build()));
    admin.createUser(
        MASTER,
        UserSpec.member("viewer", "drafting").toBuilder()
            .role(UserRole.INTERNAL_USER_VIEWER)
            .build());
    viewer = principal(admin.generateKey(MASTER, KeySpec.forUser("viewer")));
    alice = llmKey("alice", "drafting");
  }

  private void refused(ThrowingCallable action) {
    assertThatThrownBy(action).isInstanceOf(PermissionDeniedException.class);
  }

  private List<VirtualKey> keysOf(String user) {
    return admin.keys(MASTER, KeyQuery.builder(PageRequest.first(100)).user(user).build()).items();
  }

  @Test
  void rightsComeFromKeyTypeAndUserRoleTogether() {
    assertThat(boss.isProxyAdmin()).isTrue();
    assertThat(ops.isProxyAdmin()).isTrue();
    assertThat(lead.isProxyAdmin()).isFalse();
    assertThat(viewer.isProxyAdmin()).isFalse();
  }

  @Test
  void aTeamAdminCannotIssueAKeyToAProxyAdminUserOfItsTeam() {
    refused(() -> admin.generateKey(lead, KeySpec.forUser("boss")));
    refused(
        () -> admin.generateKey(lead, KeySpec.builder().userId("boss").teamId("drafting").build()));
    refused(() -> admin.generateKey(lead, KeySpec.forUser("ops")));
    assertThat(keysOf("boss")).hasSize(1);
    assertThat(keysOf("ops")).hasSize(1);
  }

  @Test
  void aTeamAdminCannotMoveATeamKeyOntoAProxyAdminUser() {
    refused(
        () -> admin.updateKey(lead, alice.key().id(), KeyPatch.builder().userId("boss").build()));
    refused(
        () -> admin.updateKey(lead, alice.key().id(), KeyPatch.builder().userId("ops").build()));
    assertThat(admin.key(MASTER, alice.key().id()).userId()).contains("alice");
    assertThat(keysOf("boss")).hasSize(1);
  }

  @Test
  void aTeamAdminCannotRotateBlockOrDeleteAProxyAdminCredential() {
    for (Principal.Keyed above : List.of(boss, ops, lead2)) {
      String id = above.key().id();
      refused(() -> admin.regenerateKey(lead, id, Optional.empty()));
      refused(() -> admin.blockKey(lead, id, true));
      refused(() -> admin.blockKey(lead, id, false));
      refused(() -> admin.updateKey(lead, id, KeyPatch.builder().alias("mine").build()));
      refused(() -> admin.deleteKey(lead, id));
      VirtualKey now = admin.key(MASTER, id);
      assertThat(now.hash()).isEqualTo(above.key().hash());
      assertThat(now.blocked()).isFalse();
      assertThat(now.alias()).isEmpty();
    }
  }

  @Test
  void aTeamAdminCannotDemoteEditMoveOrDeleteAProxyAdminUser() {
    admin.createUser(
        MASTER,
        UserSpec.member("boss2", "drafting").toBuilder().role(UserRole.PROXY_ADMIN).build());

    refused(
        () ->
            admin.updateUser(
                lead, "boss", UserPatch.builder().role(UserRole.INTERNAL_USER).build()));
    refused(
        () ->
            admin.updateUser(
                lead,
                "boss",
                UserPatch.builder().budgets(List.of(BudgetLimit.daily(usd("0")))).build()));
    refused(() -> admin.removeFromTeam(lead, "drafting", "boss"));
    refused(() -> admin.deleteUser(lead, "boss2"));
    assertThat(admin.user(MASTER, "boss").role()).isEqualTo(UserRole.PROXY_ADMIN);
    assertThat(admin.user(MASTER, "boss").teamId()).contains("drafting");
    assertThat(admin.user(MASTER, "boss").budgets()).isEmpty();
    assertThat(admin.user(MASTER, "boss2").role()).isEqualTo(UserRole.PROXY_ADMIN);
  }

  @Test
  void aUserHoldingAnAdminKeyIsAboveATeamAdminToo() {
    for (String user : List.of("ops", "lead2")) {
      refused(
          () ->
              admin.updateUser(
                  lead,
                  user,
                  UserPatch.builder().budgets(List.of(BudgetLimit.daily(usd("0")))).build()));
      refused(() -> admin.removeFromTeam(lead, "drafting", user));
      assertThat(admin.user(MASTER, user).budgets()).isEmpty();
    }
  }

  @Test
  void everythingAtOrBelowAnLlmUserStaysManageable() {
    for (Principal.Keyed below : List.of(viewer, alice)) {
      String user = below.key().userId().orElseThrow();
      assertThat(admin.generateKey(lead, KeySpec.forUser(user)).key().userId()).contains(user);
      admin.updateKey(lead, below.key().id(), KeyPatch.builder().alias("a-" + user).build());
      admin.blockKey(lead, below.key().id(), true);
      admin.blockKey(lead, below.key().id(), false);
      admin.regenerateKey(lead, below.key().id(), Optional.empty());
      admin.updateUser(
          lead, user, UserPatch.builder().budgets(List.of(BudgetLimit.daily(usd("0.01")))).build());
    }
    // Its own key and its own user are its own rights, not above them.
    admin.regenerateKey(lead, lead.key().id(), Optional.empty());
    admin.updateUser(
        lead,
        "drafting-lead",
        UserPatch.builder().budgets(List.of(BudgetLimit.daily(usd("0.01")))).build());
    // Moving a plain user's key onto the viewer is fine too.
    var k = admin.generateKey(lead, KeySpec.forUser("carl"));
    assertThat(
            admin
                .updateKey(lead, k.key().id(), KeyPatch.builder().userId("viewer").build())
                .userId())
        .contains("viewer");
  }

  @Test
  void aTeamAdminStillCannotMintAdminKeysOrChangeItsTeam() {
    refused(
        () ->
            admin.generateKey(
                lead, KeySpec.builder().userId("x").role(KeyRole.PROXY_ADMIN).build()));
    refused(
        () ->
            admin.generateKey(
                lead, KeySpec.builder().userId("x").role(KeyRole.TEAM_ADMIN).build()));
    refused(
        () ->
            admin.updateTeam(
                lead,
                "drafting",
                TeamPatch.builder()
                    .memberBudgets(List.of(BudgetLimit.daily(usd("1000"))))
                    .build()));
  }
}

package io.llmgateway.core.admin;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.KeyHash;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.identity.UserRole;
import io.llmgateway.core.identity.VirtualKey;
import io.llmgateway.core.requestlog.RefusalLog;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import io.llmgateway.core.spend.SpendTotal;
import io.llmgateway.core.testing.Fixtures;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Self-service: a member ({@link Grant.Member} of gateway user alice, in drafting) sees only its
 * own user, keys, budgets and spend, and creates, rotates, blocks and deletes its own LLM keys
 * within its tier: models of the team, budgets up to its member budget, no admin key types, at most
 * the member key limit. Another user's objects are not found, exactly like missing ones.
 */
class AdminServiceMemberTest extends AdminFixture {
  static final Principal.Person ALICE = person("alice@example.com", new Grant.Member("alice"));

  Principal.Keyed aliceKey;
  Principal.Keyed bobKey; // same team, another user

  @BeforeEach
  void data() {
    aliceKey = llmKey("alice", "drafting");
    bobKey = llmKey("bob", "drafting");
    charge("r1", aliceKey.key().id(), "alice", "drafting", usd("0.002"));
    charge("r2", bobKey.key().id(), "bob", "drafting", usd("0.003"));
    for (String model : List.of("model-cheap", "model-balanced")) {
      admin.upsertDeployment(MASTER, Fixtures.deployment("d-" + model, model).build());
    }
  }

  @Test
  void seesItsOwnUserKeysBudgetsAndSpendOnly() {
    PageRequest page = PageRequest.first(100);
    assertThat(admin.user(ALICE, "alice").id()).isEqualTo("alice");
    assertThat(admin.keys(ALICE, KeyQuery.all(page)).items())
        .extracting(VirtualKey::id)
        .containsExactly(aliceKey.key().id());
    assertThat(admin.key(ALICE, aliceKey.key().id()).id()).isEqualTo(aliceKey.key().id());
    assertThat(admin.budgetStatus(ALICE, BudgetScope.user("alice"))).hasSize(2);
    assertThat(admin.spendLogs(ALICE, SpendQuery.all(page)).items())
        .extracting(SpendRecord::requestId)
        .containsExactly("r1");
    assertThat(admin.spendReport(ALICE, SpendGroup.USER, T0, T0.plusSeconds(3600)))
        .extracting(SpendTotal::group)
        .containsExactly("alice");
    assertThat(admin.models(ALICE)).extracting(LogicalModel::name).containsExactly("model-cheap");
  }

  @Test
  void anotherUsersDataIsNotFoundAndListsOfOthersAreRefused() {
    assertThatThrownBy(() -> admin.user(ALICE, "bob")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.key(ALICE, bobKey.key().id()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.budgetStatus(ALICE, BudgetScope.user("bob")))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.budgetStatus(ALICE, BudgetScope.key(bobKey.key().id())))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.team(ALICE, "drafting")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.users(ALICE, UserQuery.all(PageRequest.first(9))))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.teams(ALICE, PageRequest.first(9)))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(
            () -> admin.keys(ALICE, KeyQuery.builder(PageRequest.first(9)).user("bob").build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.auditEvents(ALICE, Optional.empty(), PageRequest.first(9)))
        .isInstanceOf(PermissionDeniedException.class);
  }

  @Test
  void touchesNoKeyOfAnotherUser() {
    String bobs = bobKey.key().id();
    assertThatThrownBy(() -> admin.blockKey(ALICE, bobs, true))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.regenerateKey(ALICE, bobs, Optional.empty()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.deleteKey(ALICE, bobs)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> admin.generateKey(ALICE, KeySpec.forUser("bob")))
        .isInstanceOf(PermissionDeniedException.class);
    VirtualKey after = admin.key(MASTER, bobs);
    assertThat(after.blocked()).isFalse();
    assertThat(after.hash()).isEqualTo(bobKey.key().hash());
  }

  @Test
  void createsRotatesBlocksAndDeletesItsOwnKeysAuditedUnderItsName() {
    IssuedKey issued =
        admin.generateKey(
            ALICE,
            new KeySpec(
                Optional.empty(),
                Optional.empty(),
                Optional.of("laptop"),
                KeyRole.LLM_API,
                List.of(),
                List.of(BudgetLimit.daily(usd("0.010"))),
                io.llmgateway.core.identity.RateLimits.NONE,
                Optional.empty(),
                Optional.of(java.time.Duration.ofDays(30)),
                false,
                java.util.Map.of(),
                Optional.empty()));
    VirtualKey key = issued.key();
    assertThat(key.userId()).contains("alice");
    assertThat(key.teamId()).contains("drafting");
    assertThat(key.models()).containsExactly("model-cheap");
    assertThat(key.budgets()).containsExactly(BudgetLimit.daily(usd("0.010")));
    assertThat(lastAudit().actor()).isEqualTo("ui:alice@example.com");
    // The issued value works as a credential of alice.
    assertThat(stores.keys().findPrincipal(KeyHash.of(issued.plaintext()), clock.instant()))
        .map(p -> p.key().userId().orElseThrow())
        .hasValue("alice");

    IssuedKey rotated = admin.regenerateKey(ALICE, key.id(), Optional.empty());
    assertThat(rotated.plaintext()).isNotEqualTo(issued.plaintext());
    assertThat(admin.blockKey(ALICE, key.id(), true).blocked()).isTrue();
    admin.deleteKey(ALICE, key.id());
    assertThatThrownBy(() -> admin.key(MASTER, key.id())).isInstanceOf(NotFoundException.class);
  }

  @Test
  void staysWithinItsTier() {
    assertThatThrownBy(
            () ->
                admin.generateKey(
                    ALICE,
                    KeySpec.forUser("alice").toBuilder().models(List.of("model-balanced")).build()))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("model-balanced");
    assertThatThrownBy(
            () ->
                admin.generateKey(
                    ALICE,
                    KeySpec.forUser("alice").toBuilder()
                        .budgets(List.of(BudgetLimit.daily(usd("0.018"))))
                        .build()))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("0.017");
    assertThatThrownBy(
            () ->
                admin.generateKey(
                    ALICE, KeySpec.forUser("alice").toBuilder().role(KeyRole.TEAM_ADMIN).build()))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(
            () ->
                admin.generateKey(
                    ALICE, KeySpec.forUser("alice").toBuilder().teamId("coding").build()))
        .isInstanceOf(NotFoundException.class);
    // Changing settings and lifting a block are an admin's.
    assertThatThrownBy(
            () ->
                admin.updateKey(
                    ALICE,
                    aliceKey.key().id(),
                    KeyPatch.NONE.toBuilder()
                        .budgets(List.of(BudgetLimit.daily(usd("0.001"))))
                        .build()))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessage("a member may not change keys");
    admin.blockKey(MASTER, aliceKey.key().id(), true);
    assertThatThrownBy(() -> admin.blockKey(ALICE, aliceKey.key().id(), false))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.updateUser(ALICE, "alice", UserPatch.NONE))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(admin.key(MASTER, aliceKey.key().id()).blocked()).isTrue();
  }

  @Test
  void holdsNoMoreThanTheMemberKeyLimit() {
    AdminService limited =
        new AdminService(
            stores, RefusalLog.NONE, clock, ZoneId.of("UTC"), () -> {}, scope -> {}, 3);
    limited.generateKey(ALICE, KeySpec.forUser("alice"));
    limited.generateKey(ALICE, KeySpec.forUser("alice")); // with aliceKey: 3

    assertThatThrownBy(() -> limited.generateKey(ALICE, KeySpec.forUser("alice")))
        .isInstanceOf(PermissionDeniedException.class)
        .hasMessageContaining("at most 3 keys");
    assertThat(admin.keys(MASTER, KeyQuery.all(PageRequest.first(50))).items())
        .filteredOn(k -> k.userId().equals(Optional.of("alice")))
        .hasSize(3);
  }

  @Test
  void aMemberWhoseUserIsAProxyAdminMintsNoAdminCredential() {
    admin.createUser(
        MASTER, UserSpec.member("root", "drafting").toBuilder().role(UserRole.PROXY_ADMIN).build());
    Principal root = person("root@example.com", new Grant.Member("root"));

    assertThatThrownBy(() -> admin.generateKey(root, KeySpec.forUser("root")))
        .isInstanceOf(PermissionDeniedException.class);
  }
}

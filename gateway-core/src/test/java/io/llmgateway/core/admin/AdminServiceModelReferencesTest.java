package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.InvalidRequestException;
import java.util.List;
import java.util.Optional;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Issue 16: a model name on a team, user or key must be a model of the catalog, and the lists must
 * nest (key within user within team), on every create and update; a team cannot drop a model its
 * keys still name.
 */
class AdminServiceModelReferencesTest extends AdminFixture {

  private static AbstractThrowableAssert<?, ? extends Throwable> refused(ThrowingCallable call) {
    return assertThatThrownBy(call)
        .isInstanceOf(InvalidRequestException.class)
        .satisfies(e -> assertThat(((InvalidRequestException) e).param()).contains("models"));
  }

  @Test
  void aTeamWithAnUnknownModelIsRefusedNamingItAndTheKnownOnes() {
    refused(
            () ->
                admin.createTeam(MASTER, TeamSpec.named("typo").withModels(List.of("model-typo"))))
        .hasMessageContaining("'model-typo'")
        .hasMessageContaining("model-balanced, model-cheap, model-reasoning");
    assertThat(stores.teams().findByAlias("typo")).isEmpty();

    refused(
        () ->
            admin.updateTeam(
                MASTER, "drafting", TeamPatch.NONE.withModels(List.of("model-cheap", "missing"))));
    assertThat(stores.teams().findById("drafting").orElseThrow().models())
        .containsExactly("model-cheap");
  }

  @Test
  void aUserWithAnUnknownModelOrOneOutsideItsTeamIsRefused() {
    refused(
            () ->
                admin.createUser(
                    MASTER,
                    new UserSpec(
                        Optional.of("alice"),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of("drafting"),
                        io.llmgateway.core.identity.UserRole.INTERNAL_USER,
                        List.of("model-reasoning"),
                        List.of(),
                        io.llmgateway.core.identity.RateLimits.NONE,
                        java.util.Map.of())))
        .hasMessageContaining("'model-reasoning'")
        .hasMessageContaining("team 'drafting'");
    assertThat(stores.users().findById("alice")).isEmpty();

    admin.createUser(MASTER, UserSpec.member("bob", "coding"));
    refused(
            () ->
                admin.updateUser(
                    MASTER,
                    "bob",
                    new UserPatch(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(List.of("model-typo")),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty())))
        .hasMessageContaining("'model-typo'");
  }

  @Test
  void aKeyOutsideItsTeamOrItsUserIsRefusedInsteadOfIssuedUselessly() {
    refused(
            () ->
                admin.generateKey(
                    MASTER,
                    KeySpec.forUser("carol")
                        .withTeam("drafting")
                        .withModels(List.of("model-reasoning"))))
        .hasMessageContaining("'model-reasoning'")
        .hasMessageContaining("team 'drafting'");
    assertThat(stores.users().findById("carol")).isEmpty();

    refused(
            () ->
                admin.generateKey(
                    MASTER, KeySpec.forUser("carol").withModels(List.of("model-typo"))))
        .hasMessageContaining("'model-typo'");

    IssuedKey k = admin.generateKey(MASTER, KeySpec.forUser("dave").withTeam("coding"));
    refused(
            () ->
                admin.updateKey(
                    MASTER, k.key().id(), KeyPatch.NONE.withModels(List.of("model-reasoning"))))
        .hasMessageContaining("team 'coding'");
    // Within the team is fine.
    assertThat(
            admin
                .updateKey(MASTER, k.key().id(), KeyPatch.NONE.withModels(List.of("model-cheap")))
                .models())
        .containsExactly("model-cheap");
  }

  @Test
  void aKeyOutsideItsUsersOwnModelsIsRefused() {
    admin.createUser(
        MASTER,
        new UserSpec(
            Optional.of("erin"),
            Optional.empty(),
            Optional.empty(),
            Optional.of("coding"),
            io.llmgateway.core.identity.UserRole.INTERNAL_USER,
            List.of("model-cheap"),
            List.of(),
            io.llmgateway.core.identity.RateLimits.NONE,
            java.util.Map.of()));

    refused(
            () ->
                admin.generateKey(
                    MASTER, KeySpec.forUser("erin").withModels(List.of("model-balanced"))))
        .hasMessageContaining("user 'erin'");
  }

  @Test
  void narrowingATeamUnderItsKeysIsRefusedNamingThem() {
    IssuedKey k =
        admin.generateKey(
            MASTER,
            KeySpec.forUser("frank")
                .withTeam("coding")
                .withAlias("frank-balanced")
                .withModels(List.of("model-balanced")));

    refused(
            () ->
                admin.updateTeam(
                    MASTER, "coding", TeamPatch.NONE.withModels(List.of("model-cheap"))))
        .hasMessageContaining("'model-balanced'")
        .hasMessageContaining("frank-balanced");
    assertThat(stores.teams().findById("coding").orElseThrow().models()).hasSize(2);

    admin.updateKey(MASTER, k.key().id(), KeyPatch.NONE.withModels(List.of()));
    assertThat(
            admin
                .updateTeam(MASTER, "coding", TeamPatch.NONE.withModels(List.of("model-cheap")))
                .models())
        .containsExactly("model-cheap");
  }

  @Test
  void deletingAModelSomeoneNamesIsAllowedAndLeavesTheirOtherSettingsEditable() {
    admin.deleteDeployment(MASTER, "fixture-model-balanced");

    // coding still names model-balanced: its budgets stay editable ...
    admin.updateTeam(
        MASTER,
        "coding",
        TeamPatch.NONE.withMemberBudgets(List.of(BudgetLimit.daily(usd("0.05")))));
    // ... and keeping the stale name in a list is no new reference, but adding it anew is.
    admin.updateTeam(
        MASTER,
        "coding",
        TeamPatch.NONE.withModels(List.of("model-cheap", "model-balanced", "model-reasoning")));
    refused(
            () ->
                admin.updateTeam(
                    MASTER, "drafting", TeamPatch.NONE.withModels(List.of("model-balanced"))))
        .hasMessageContaining("unknown model 'model-balanced'")
        .hasMessageContaining("known models: model-cheap, model-reasoning");
  }
}

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
                admin.createTeam(
                    MASTER,
                    TeamSpec.named("typo").toBuilder().models(List.of("model-typo")).build()))
        .hasMessageContaining("'model-typo'")
        .hasMessageContaining("model-balanced, model-cheap, model-reasoning");
    assertThat(stores.teams().findByAlias("typo")).isEmpty();

    refused(
        () ->
            admin.updateTeam(
                MASTER,
                "drafting",
                TeamPatch.NONE.toBuilder().models(List.of("model-cheap", "missing")).build()));
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
                    KeySpec.forUser("carol").toBuilder()
                        .teamId("drafting")
                        .models(List.of("model-reasoning"))
                        .build()))
        .hasMessageContaining("'model-reasoning'")
        .hasMessageContaining("team 'drafting'");
    assertThat(stores.users().findById("carol")).isEmpty();

    refused(
            () ->
                admin.generateKey(
                    MASTER,
                    KeySpec.forUser("carol").toBuilder().models(List.of("model-typo")).build()))
        .hasMessageContaining("'model-typo'");

    IssuedKey k =
        admin.generateKey(MASTER, KeySpec.forUser("dave").toBuilder().teamId("coding").build());
    refused(
            () ->
                admin.updateKey(
                    MASTER,
                    k.key().id(),
                    KeyPatch.NONE.toBuilder().models(List.of("model-reasoning")).build()))
        .hasMessageContaining("team 'coding'");
    // Within the team is fine.
    assertThat(
            admin
                .updateKey(
                    MASTER,
                    k.key().id(),
                    KeyPatch.NONE.toBuilder().models(List.of("model-cheap")).build())
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
                    MASTER,
                    KeySpec.forUser("erin").toBuilder().models(List.of("model-balanced")).build()))
        .hasMessageContaining("user 'erin'");
  }

  @Test
  void narrowingATeamUnderItsKeysIsRefusedNamingThem() {
    IssuedKey k =
        admin.generateKey(
            MASTER,
            KeySpec.forUser("frank").toBuilder()
                .teamId("coding")
                .alias("frank-balanced")
                .models(List.of("model-balanced"))
                .build());

    refused(
            () ->
                admin.updateTeam(
                    MASTER,
                    "coding",
                    TeamPatch.NONE.toBuilder().models(List.of("model-cheap")).build()))
        .hasMessageContaining("'model-balanced'")
        .hasMessageContaining("frank-balanced");
    assertThat(stores.teams().findById("coding").orElseThrow().models()).hasSize(2);

    admin.updateKey(MASTER, k.key().id(), KeyPatch.NONE.toBuilder().models(List.of()).build());
    assertThat(
            admin
                .updateTeam(
                    MASTER,
                    "coding",
                    TeamPatch.NONE.toBuilder().models(List.of("model-cheap")).build())
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
        TeamPatch.NONE.toBuilder().memberBudgets(List.of(BudgetLimit.daily(usd("0.05")))).build());
    // ... and keeping the stale name in a list is no new reference, but adding it anew is.
    admin.updateTeam(
        MASTER,
        "coding",
        TeamPatch.NONE.toBuilder()
            .models(List.of("model-cheap", "model-balanced", "model-reasoning"))
            .build());
    refused(
            () ->
                admin.updateTeam(
                    MASTER,
                    "drafting",
                    TeamPatch.NONE.toBuilder().models(List.of("model-balanced")).build()))
        .hasMessageContaining("unknown model 'model-balanced'")
        .hasMessageContaining("known models: model-cheap, model-reasoning");
  }
}

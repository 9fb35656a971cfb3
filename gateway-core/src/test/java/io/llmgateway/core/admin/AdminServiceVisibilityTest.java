package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Principal;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 15, finding 13: a key that may not read a user, key or team gets exactly the answer it gets
 * for one that does not exist (NotFoundException, same message but for the id it sent), on every
 * read and write by id, so answers do not reveal what exists in other teams.
 */
class AdminServiceVisibilityTest extends AdminFixture {
  Principal.Keyed codingLead;
  Principal.Keyed carol; // an LLM key in coding
  Principal.Keyed alice; // the victim's key, in drafting
  Principal.Keyed bob; // another drafting key, for same-team LLM reads

  @BeforeEach
  void keys() {
    codingLead = teamAdmin("coding", List.of());
    carol = llmKey("carol", "coding");
    alice = llmKey("alice", "drafting");
    bob = llmKey("bob", "drafting");
  }

  /** Runs {@code call} with a hidden and a missing id: both NotFound, same message otherwise. */
  private void sameAsMissing(String hidden, String missing, Function<String, Object> call) {
    Throwable h = catchThrowable(() -> call.apply(hidden));
    Throwable m = catchThrowable(() -> call.apply(missing));
    assertThat(m).as("missing " + missing).isInstanceOf(NotFoundException.class);
    assertThat(h).as("hidden " + hidden).isInstanceOf(NotFoundException.class);
    assertThat(h.getMessage().replace(hidden, "ID"))
        .isEqualTo(m.getMessage().replace(missing, "ID"));
  }

  @Test
  void keysOfAnotherTeamAreNotFoundLikeMissingKeys() {
    String hidden = alice.key().id();
    String missing = "key_000000000000000000000000";
    for (Principal p : List.of(codingLead, carol, bob)) {
      sameAsMissing(hidden, missing, id -> admin.key(p, id));
      sameAsMissing(hidden, missing, id -> admin.budgetStatus(p, BudgetScope.key(id)));
    }
    sameAsMissing(hidden, missing, id -> admin.blockKey(codingLead, id, true));
    sameAsMissing(hidden, missing, id -> admin.updateKey(codingLead, id, KeyPatch.NONE));
    sameAsMissing(hidden, missing, id -> admin.regenerateKey(codingLead, id, Optional.empty()));
    sameAsMissing(
        hidden,
        missing,
        id -> {
          admin.deleteKey(codingLead, id);
          return null;
        });
    assertThat(admin.key(MASTER, hidden).blocked()).isFalse();
  }

  @Test
  void usersOfAnotherTeamAreNotFoundLikeMissingUsers() {
    for (Principal p : List.of(codingLead, carol, bob)) {
      sameAsMissing("alice", "nobody", id -> admin.user(p, id));
      sameAsMissing("alice", "nobody", id -> admin.budgetStatus(p, BudgetScope.user(id)));
    }
    sameAsMissing("alice", "nobody", id -> admin.updateUser(codingLead, id, UserPatch.NONE));
    sameAsMissing(
        "alice",
        "nobody",
        id -> {
          admin.deleteUser(codingLead, id);
          return null;
        });
    // Moving one's own key onto a hidden user.
    sameAsMissing(
        "alice",
        "nobody",
        id -> admin.updateKey(codingLead, carol.key().id(), KeyPatch.builder().userId(id).build()));
    // Removing a member: a hidden team, and a user who is in another team.
    sameAsMissing("alice", "nobody", id -> admin.removeFromTeam(codingLead, "coding", id));
    assertThat(admin.user(MASTER, "alice").teamId()).contains("drafting");
  }

  @Test
  void anotherTeamIsNotFoundLikeAMissingTeam() {
    for (Principal p : List.of(codingLead, carol)) {
      sameAsMissing("drafting", "no-such-team", id -> admin.team(p, id));
      sameAsMissing("drafting", "no-such-team", id -> admin.budgetStatus(p, BudgetScope.team(id)));
    }
    sameAsMissing(
        "drafting",
        "no-such-team",
        id -> admin.generateKey(codingLead, KeySpec.builder().userId("x").teamId(id).build()));
    sameAsMissing(
        "drafting", "no-such-team", id -> admin.createUser(codingLead, UserSpec.member("y", id)));
    sameAsMissing(
        "drafting",
        "no-such-team",
        id -> admin.updateKey(codingLead, carol.key().id(), KeyPatch.builder().teamId(id).build()));
    sameAsMissing(
        "drafting",
        "no-such-team",
        id -> admin.updateUser(codingLead, "carol", UserPatch.builder().teamId(id).build()));
    sameAsMissing("drafting", "no-such-team", id -> admin.removeFromTeam(codingLead, id, "alice"));
    assertThat(admin.user(MASTER, "carol").teamId()).contains("coding");
  }

  @Test
  void aKeyForAHiddenUserNeverNamesItsTeam() {
    Throwable t =
        catchThrowable(
            () ->
                admin.generateKey(
                    codingLead, KeySpec.builder().userId("alice").teamId("coding").build()));
    assertThat(t).isNotNull();
    assertThat(t.getMessage()).doesNotContain("drafting");
    assertThat(admin.user(MASTER, "alice").teamId()).contains("drafting");
  }
}

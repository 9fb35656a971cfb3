package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.User;
import io.llmgateway.core.identity.UserQuery;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminServiceUsersTest extends AdminFixture {

  @Test
  void aUserJoinsATeamNamedByAlias() {
    admin.createTeam(MASTER, TeamSpec.named("Platform Engineering"));

    User u = admin.createUser(MASTER, UserSpec.member("pat", "Platform Engineering"));

    assertThat(u.teamId()).isPresent();
    assertThat(admin.team(MASTER, u.teamId().get()).alias()).isEqualTo("Platform Engineering");
  }

  @Test
  void aUserForAnUnknownTeamIsNotFoundNamingTheTeam() {
    assertThatThrownBy(() -> admin.createUser(MASTER, UserSpec.member("pat", "nowhere")))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nowhere");
  }

  @Test
  void aSecondUserWithTheSameEmailIsAConflict() {
    admin.createUser(
        MASTER, UserSpec.member("a", "drafting").toBuilder().email("a@example.com").build());

    assertThatThrownBy(
            () ->
                admin.createUser(
                    MASTER,
                    UserSpec.member("b", "drafting").toBuilder().email("a@example.com").build()))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void creatingAUserIsAuditedButInvalidatesNothing() {
    invalidations.clear();

    admin.createUser(MASTER, UserSpec.member("alice", "drafting"));

    assertThat(lastAudit().action()).isEqualTo("user.create");
    assertThat(invalidations).isEmpty();
  }

  @Test
  void movingAUserToAnotherTeamIsAuditedAndInvalidatesEverything() {
    admin.createUser(MASTER, UserSpec.member("alice", "drafting"));
    invalidations.clear();

    User moved = admin.updateUser(MASTER, "alice", UserPatch.builder().teamId("coding").build());

    assertThat(moved.teamId()).contains("coding");
    assertThat(lastAudit().action()).isEqualTo("user.update");
    assertThat(lastAudit().before()).containsEntry("team_id", "drafting");
    assertThat(lastAudit().after()).containsEntry("team_id", "coding");
    assertThat(invalidations).containsExactly(new Invalidation.All());
  }

  @Test
  void aUserWithKeysCannotBeDeletedButOneWithoutCan() {
    admin.generateKey(MASTER, KeySpec.builder().userId("alice").teamId("drafting").build());
    admin.createUser(MASTER, UserSpec.member("bob", "drafting"));

    assertThatThrownBy(() -> admin.deleteUser(MASTER, "alice"))
        .isInstanceOf(ConflictException.class);
    admin.deleteUser(MASTER, "bob");

    assertThat(admin.users(MASTER, UserQuery.all(PageRequest.first(10))).items())
        .extracting(User::id)
        .containsExactly("alice");
  }

  @Test
  void usersCanBeListedByTeamAlias() {
    admin.createUser(MASTER, UserSpec.member("a", "drafting"));
    admin.createUser(MASTER, UserSpec.member("c", "coding"));

    var drafting =
        admin.users(MASTER, UserQuery.builder(PageRequest.first(10)).team("drafting").build());

    assertThat(drafting.items()).extracting(User::id).containsExactly("a");
  }

  @Test
  void twoDailyBudgetsForAUserAreRefusedNamingTheField() {
    assertThatThrownBy(
            () ->
                UserSpec.member("a", "drafting").toBuilder()
                    .budgets(List.of(BudgetLimit.daily(usd("1")), BudgetLimit.daily(usd("2"))))
                    .build())
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("budgets"));
  }

  @Test
  void aKeySpecWithBothDurationAndExpiryIsRefusedNamingDuration() {
    KeySpec base = KeySpec.builder().userId("a").duration(Duration.ofDays(1)).build();

    assertThatThrownBy(
            () ->
                new KeySpec(
                    base.userId(),
                    base.teamId(),
                    base.alias(),
                    base.role(),
                    base.models(),
                    base.budgets(),
                    base.rateLimits(),
                    Optional.of(Instant.EPOCH),
                    base.duration(),
                    false,
                    base.metadata(),
                    Optional.empty()))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("duration"));
    assertThatThrownBy(() -> KeySpec.builder().userId("a").duration(Duration.ZERO).build())
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("duration"));
  }

  @Test
  void aTooLongUserIdIsRefusedNamingTheField() {
    assertThatThrownBy(() -> UserSpec.member("u".repeat(129), "drafting"))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("user_id"));
  }
}

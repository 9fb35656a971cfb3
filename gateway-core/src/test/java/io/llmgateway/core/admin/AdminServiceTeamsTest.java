package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.InvalidationBus.Invalidation;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.RateLimits;
import io.llmgateway.core.identity.Team;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminServiceTeamsTest extends AdminFixture {

  @Test
  void aTeamCreatedByAliasCanBeReferencedByThatAliasAsItsId() {
    Team drafting = admin.team(MASTER, "drafting");

    assertThat(drafting.id()).isEqualTo("drafting");
    assertThat(drafting.models()).containsExactly("model-cheap");
  }

  @Test
  void anAliasThatIsNotAValidIdGetsAGeneratedId() {
    Team t = admin.createTeam(MASTER, TeamSpec.named("Platform Engineering"));

    assertThat(t.id()).startsWith("team_");
    assertThat(admin.team(MASTER, "Platform Engineering")).isEqualTo(t);
  }

  @Test
  void anExplicitTeamIdIsKept() {
    var spec =
        new TeamSpec(
            Optional.of("arch"),
            "architect",
            Optional.of("architect"),
            List.of("model-reasoning"),
            List.of(),
            List.of(),
            RateLimits.NONE,
            Map.of());

    assertThat(admin.createTeam(MASTER, spec).id()).isEqualTo("arch");
    assertThat(admin.team(MASTER, "architect").id()).isEqualTo("arch");
  }

  @Test
  void aSecondTeamWithTheSameAliasIsAConflict() {
    assertThatThrownBy(() -> admin.createTeam(MASTER, TeamSpec.named("drafting")))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void aBlankAliasIsRefusedNamingTheField() {
    assertThatThrownBy(() -> TeamSpec.named(" "))
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("team_alias"));
  }

  @Test
  void twoDailyMemberBudgetsAreRefusedNamingTheField() {
    assertThatThrownBy(
            () ->
                TeamSpec.builder()
                    .alias("x")
                    .memberBudgets(
                        List.of(BudgetLimit.daily(usd("1")), BudgetLimit.daily(usd("2"))))
                    .build())
        .isInstanceOfSatisfying(
            InvalidRequestException.class, e -> assertThat(e.param()).contains("member_budgets"));
  }

  @Test
  void updateChangesOnlyTheGivenFields() {
    Team before = admin.team(MASTER, "drafting");

    Team after = admin.updateTeam(MASTER, "drafting", TeamPatch.builder().blocked(true).build());

    assertThat(after.blocked()).isTrue();
    assertThat(after.models()).isEqualTo(before.models());
    assertThat(after.memberBudgets()).isEqualTo(before.memberBudgets());
    assertThat(admin.team(MASTER, "drafting")).isEqualTo(after);
  }

  @Test
  void updatingAnUnknownTeamIsNotFoundNamingIt() {
    assertThatThrownBy(() -> admin.updateTeam(MASTER, "ghosts", TeamPatch.NONE))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("ghosts");
  }

  @Test
  void aTeamWithMembersCannotBeDeleted() {
    admin.createUser(MASTER, UserSpec.member("alice", "drafting"));

    assertThatThrownBy(() -> admin.deleteTeam(MASTER, "drafting"))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void deletingATeamIsAuditedAndInvalidatesEverything() {
    admin.createTeam(MASTER, TeamSpec.named("temp"));
    invalidations.clear();

    admin.deleteTeam(MASTER, "temp");

    assertThat(admin.teams(MASTER, PageRequest.first(10)).items())
        .extracting(Team::id)
        .doesNotContain("temp");
    assertThat(lastAudit().action()).isEqualTo("team.delete");
    assertThat(lastAudit().actor()).isEqualTo("master");
    assertThat(lastAudit().before()).containsEntry("team_id", "temp");
    assertThat(lastAudit().after()).isEmpty();
    assertThat(invalidations).containsExactly(new Invalidation.All());
  }

  @Test
  void creatingATeamIsAuditedWithItsSnapshot() {
    assertThat(audit()).extracting(e -> e.action()).containsOnly("team.create");
    assertThat(lastAudit().targetId()).isEqualTo("coding");
    assertThat(lastAudit().after()).containsEntry("team_alias", "coding");
    assertThat(lastAudit().before()).isEmpty();
  }
}

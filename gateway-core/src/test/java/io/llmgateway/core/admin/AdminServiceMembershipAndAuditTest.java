package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.User;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminServiceMembershipAndAuditTest extends AdminFixture {

  @Test
  void removingAMemberLeavesTheUserWithoutATeamAndIsAudited() {
    admin.createUser(MASTER, UserSpec.member("ann", "drafting"));

    User after = admin.removeFromTeam(MASTER, "drafting", "ann");

    assertThat(after.teamId()).isEmpty();
    assertThat(admin.user(MASTER, "ann").teamId()).isEmpty();
    assertThat(lastAudit().action()).isEqualTo("user.update");
    assertThat(lastAudit().before()).containsEntry("team_id", "drafting");
    assertThat(lastAudit().after()).doesNotContainKey("team_id");
  }

  @Test
  void removingSomeoneWhoIsNotAMemberIsNotFound() {
    admin.createUser(MASTER, UserSpec.member("ann", "coding"));

    assertThatThrownBy(() -> admin.removeFromTeam(MASTER, "drafting", "ann"))
        .isInstanceOf(NotFoundException.class);
    assertThat(admin.user(MASTER, "ann").teamId()).contains("coding");
  }

  @Test
  void aTeamAdminCannotRemoveMembersOfAnotherTeam() {
    admin.createUser(MASTER, UserSpec.member("ann", "coding"));
    var lead = teamAdmin("drafting", List.of());

    // Another team is not found, as if it did not exist (issue 15, finding 13).
    assertThatThrownBy(() -> admin.removeFromTeam(lead, "coding", "ann"))
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void theAuditLogIsReadableByProxyAdminsOnlyNewestFirst() {
    admin.createUser(MASTER, UserSpec.member("ann", "drafting"));
    var user = llmKey("bob", "drafting");

    var page = admin.auditEvents(MASTER, Optional.of("user"), PageRequest.first(10));

    assertThat(page.items()).extracting(e -> e.targetId()).startsWith("bob", "ann");
    assertThatThrownBy(() -> admin.auditEvents(user, Optional.empty(), PageRequest.first(10)))
        .isInstanceOf(PermissionDeniedException.class);
  }
}

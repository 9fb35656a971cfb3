package io.llmgateway.core.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.KeyRole;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminServiceAuditTest extends AdminFixture {

  @Test
  void proxyAdminsReadTheAuditLogNewestFirstFilteredByTargetType() {
    admin.createTeam(MASTER, TeamSpec.named("research"));
    admin.generateKey(MASTER, KeySpec.builder().userId("alice").teamId("research").build());

    List<AuditEvent> all =
        admin.auditEvents(MASTER, Optional.empty(), PageRequest.first(50)).items();
    List<AuditEvent> teams =
        admin.auditEvents(MASTER, Optional.of("team"), PageRequest.first(50)).items();

    assertThat(all.getFirst().action()).isEqualTo("key.create");
    assertThat(teams).extracting(AuditEvent::targetType).containsOnly("team");
    assertThat(teams.getFirst().targetId()).isEqualTo("research");
  }

  @Test
  void teamAdminsAndLlmKeysMayNotReadTheAuditLog() {
    var lead = teamAdmin("drafting", List.of());
    var user = llmKey("bob", "drafting");

    assertThatThrownBy(() -> admin.auditEvents(lead, Optional.empty(), PageRequest.first(10)))
        .isInstanceOf(PermissionDeniedException.class);
    assertThatThrownBy(() -> admin.auditEvents(user, Optional.empty(), PageRequest.first(10)))
        .isInstanceOf(PermissionDeniedException.class);
    assertThat(
            admin
                .auditEvents(
                    principal(
                        admin.generateKey(
                            MASTER,
                            KeySpec.builder().userId("ops").role(KeyRole.PROXY_ADMIN).build())),
                    Optional.empty(),
                    PageRequest.first(10))
                .total())
        .isPositive();
  }
}

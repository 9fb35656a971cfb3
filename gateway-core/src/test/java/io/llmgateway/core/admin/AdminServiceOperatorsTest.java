package io.llmgateway.core.admin;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.KeyRole;
import io.llmgateway.core.identity.Operator;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.session.UiSession;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The admin UI's named operators: proxy admins manage them (audited under their name), single
 * sign-on reads {@link AdminService#grantFor}, and every change ends the person's live sessions.
 */
class AdminServiceOperatorsTest extends AdminFixture {
  static final Principal.Person ROOT = person("root", new Grant.ProxyAdmin());

  private void session(char c, String username, Grant grant) {
    stores
        .sessions()
        .create(
            new UiSession(
                String.valueOf(c).repeat(64),
                username,
                grant,
                "1".repeat(64),
                "csrf-token-0123456789",
                T0,
                T0.plusSeconds(3600)));
  }

  private boolean live(char c) {
    return stores.sessions().find(String.valueOf(c).repeat(64), T0).isPresent();
  }

  @Test
  void aProxyAdminAddsChangesAndRemovesOperatorsAuditedUnderItsName() {
    admin.createOperator(ROOT, "Lead@Example.com", new Grant.TeamAdmin(Set.of("drafting")));
    AuditEvent created = lastAudit();
    admin.createOperator(ROOT, "auditor@example.com", new Grant.Viewer());
    admin.updateOperator(ROOT, "LEAD@example.com", new Grant.ProxyAdmin());
    AuditEvent updated = lastAudit();
    admin.deleteOperator(ROOT, "auditor@example.com");

    assertThat(admin.operators(ROOT))
        .extracting(Operator::name, Operator::grant)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("lead@example.com", new Grant.ProxyAdmin()));
    assertThat(created.actor()).isEqualTo("ui:root");
    assertThat(created.action()).isEqualTo("operator.create");
    assertThat(created.after())
        .isEqualTo(
            Map.of(
                "operator",
                "lead@example.com",
                "role",
                "team_admin",
                "teams",
                List.of("drafting")));
    assertThat(updated.before()).containsEntry("role", "team_admin");
    assertThat(updated.after()).containsEntry("role", "proxy_admin");
    assertThat(lastAudit().action()).isEqualTo("operator.delete");
    assertThat(lastAudit().targetId()).isEqualTo("auditor@example.com");
  }

  @Test
  void signInReadsTheGrantOfANamedOperatorIgnoringCase() {
    admin.createOperator(MASTER, "lead@example.com", new Grant.TeamAdmin(Set.of("coding")));

    assertThat(admin.grantFor("LEAD@Example.COM")).hasValue(new Grant.TeamAdmin(Set.of("coding")));
    assertThat(admin.grantFor("someone@example.com")).isEmpty();
    assertThat(admin.grantFor(" ")).isEmpty();
  }

  @Test
  void aTeamAdminsTeamsMustExistAndAreStoredById() {
    admin.createTeam(MASTER, TeamSpec.named("Research Lab"));
    String researchId = admin.team(MASTER, "Research Lab").id();

    Operator o =
        admin.createOperator(
            MASTER, "lead@example.com", new Grant.TeamAdmin(Set.of("Research Lab", "coding")));

    assertThat(o.grant()).isEqualTo(new Grant.TeamAdmin(Set.of(researchId, "coding")));
    assertThatThrownBy(
            () ->
                admin.createOperator(
                    MASTER, "x@example.com", new Grant.TeamAdmin(Set.of("no-such-team"))))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("no-such-team");
    assertThatThrownBy(
            () -> admin.createOperator(MASTER, "y@example.com", new Grant.Member("alice")))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> admin.createOperator(MASTER, "LEAD@example.com", new Grant.Viewer()))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> admin.updateOperator(MASTER, "nobody", new Grant.Viewer()))
        .isInstanceOf(NotFoundException.class);
    assertThat(admin.operators(MASTER)).hasSize(1);
  }

  @Test
  void everyChangeEndsThatPersonsSessionsAndNoOneElses() {
    session('a', "lead@example.com", new Grant.Viewer());
    session('b', "other@example.com", new Grant.Viewer());

    admin.createOperator(MASTER, "Lead@example.com", new Grant.Viewer());
    assertThat(live('a')).isFalse();
    assertThat(live('b')).isTrue();

    session('c', "LEAD@example.com", new Grant.Viewer());
    admin.updateOperator(MASTER, "lead@example.com", new Grant.TeamAdmin(Set.of("coding")));
    assertThat(live('c')).isFalse();

    session('d', "lead@example.com", new Grant.TeamAdmin(Set.of("coding")));
    admin.deleteOperator(MASTER, "lead@example.com");
    assertThat(live('d')).isFalse();
    assertThat(live('b')).isTrue();
  }

  @Test
  void onlyProxyAdminsManageOrReadOperators() {
    admin.createOperator(MASTER, "lead@example.com", new Grant.Viewer());
    List<Principal> others =
        List.of(
            person("auditor", new Grant.Viewer()),
            person("lead", new Grant.TeamAdmin(Set.of("drafting"))),
            person("alice", new Grant.Member("alice")),
            teamAdmin("drafting", List.of()),
            llmKey("bob", "drafting"));
    for (Principal p : others) {
      assertThatThrownBy(() -> admin.operators(p)).isInstanceOf(PermissionDeniedException.class);
      assertThatThrownBy(() -> admin.createOperator(p, "me@example.com", new Grant.ProxyAdmin()))
          .isInstanceOf(PermissionDeniedException.class);
      assertThatThrownBy(() -> admin.updateOperator(p, "lead@example.com", new Grant.ProxyAdmin()))
          .isInstanceOf(PermissionDeniedException.class);
      assertThatThrownBy(() -> admin.deleteOperator(p, "lead@example.com"))
          .isInstanceOf(PermissionDeniedException.class);
    }
    assertThat(admin.grantFor("lead@example.com")).hasValue(new Grant.Viewer());
    assertThat(admin.grantFor("me@example.com")).isEmpty();
    // A proxy-admin key may, like the master key.
    Principal rootKey =
        principal(
            admin.generateKey(
                MASTER, KeySpec.forUser("root").toBuilder().role(KeyRole.PROXY_ADMIN).build()));
    admin.deleteOperator(rootKey, "lead@example.com");
    assertThat(admin.operators(MASTER)).isEmpty();
  }
}

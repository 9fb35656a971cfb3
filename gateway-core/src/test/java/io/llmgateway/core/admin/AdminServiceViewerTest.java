package io.llmgateway.core.admin;

import static io.llmgateway.core.testing.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.llmgateway.core.PageRequest;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.budget.BudgetScope;
import io.llmgateway.core.error.PermissionDeniedException;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.UserQuery;
import io.llmgateway.core.spend.SpendGroup;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.testing.Fixtures;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A viewer (a person in the admin UI with {@link Grant.Viewer}) reads everything a proxy admin
 * reads and changes nothing: every write is refused with "a viewer may not ...", whatever it names
 * (an existing object, a missing one), and leaves no audit entry.
 */
class AdminServiceViewerTest extends AdminFixture {
  static final Principal.Person VIEWER = person("auditor@example.com", new Grant.Viewer());

  Principal.Keyed alice;
  Principal.Keyed carol;

  @BeforeEach
  void data() {
    alice = llmKey("alice", "drafting");
    carol = llmKey("carol", "coding");
    charge("r1", alice.key().id(), "alice", "drafting", usd("0.002"));
    charge("r2", carol.key().id(), "carol", "coding", usd("0.003"));
  }

  @Test
  void aViewerReadsEverythingAProxyAdminReads() {
    PageRequest page = PageRequest.first(100);
    assertThat(admin.teams(VIEWER, page).items()).isEqualTo(admin.teams(MASTER, page).items());
    assertThat(admin.team(VIEWER, "coding").id()).isEqualTo("coding");
    assertThat(admin.users(VIEWER, UserQuery.all(page)).items())
        .isEqualTo(admin.users(MASTER, UserQuery.all(page)).items());
    assertThat(admin.user(VIEWER, "carol").id()).isEqualTo("carol");
    assertThat(admin.keys(VIEWER, KeyQuery.all(page)).items())
        .isEqualTo(admin.keys(MASTER, KeyQuery.all(page)).items());
    assertThat(admin.key(VIEWER, carol.key().id()).id()).isEqualTo(carol.key().id());
    assertThat(admin.budgetStatus(VIEWER, BudgetScope.team("drafting")))
        .isEqualTo(admin.budgetStatus(MASTER, BudgetScope.team("drafting")));
    assertThat(admin.budgetStatus(VIEWER, BudgetScope.user("carol"))).isNotEmpty();
    assertThat(admin.spendLogs(VIEWER, SpendQuery.all(page)).total()).isEqualTo(2);
    assertThat(admin.spendReport(VIEWER, SpendGroup.TEAM, T0, T0.plusSeconds(3600)))
        .isEqualTo(admin.spendReport(MASTER, SpendGroup.TEAM, T0, T0.plusSeconds(3600)))
        .hasSize(2);
    assertThat(admin.auditEvents(VIEWER, Optional.empty(), page).total())
        .isEqualTo(audit().size())
        .isPositive();
    admin.upsertDeployment(MASTER, Fixtures.deployment("d1", "model-cheap").build());
    assertThat(admin.models(VIEWER)).isEqualTo(admin.models(MASTER)).isNotEmpty();
  }

  /** Every write of the admin service, as a viewer would call it. */
  private Map<String, Runnable> writes() {
    String key = alice.key().id();
    Map<String, Runnable> w = new LinkedHashMap<>();
    w.put("createTeam", () -> admin.createTeam(VIEWER, TeamSpec.named("mine")));
    w.put("updateTeam", () -> admin.updateTeam(VIEWER, "drafting", TeamPatch.NONE));
    w.put("deleteTeam", () -> admin.deleteTeam(VIEWER, "no-such-team"));
    w.put("createUser", () -> admin.createUser(VIEWER, UserSpec.member("eve", "drafting")));
    w.put(
        "updateUser",
        () ->
            admin.updateUser(
                VIEWER,
                "alice",
                UserPatch.NONE.toBuilder()
                    .budgets(List.of(BudgetLimit.daily(usd("0.001"))))
                    .build()));
    w.put("deleteUser", () -> admin.deleteUser(VIEWER, "nobody"));
    w.put("deleteUsers", () -> admin.deleteUsers(VIEWER, List.of("alice")));
    w.put("removeFromTeam", () -> admin.removeFromTeam(VIEWER, "drafting", "alice"));
    w.put("generateKey", () -> admin.generateKey(VIEWER, KeySpec.forUser("alice")));
    w.put(
        "updateKey",
        () -> admin.updateKey(VIEWER, key, KeyPatch.NONE.toBuilder().alias("x").build()));
    w.put("blockKey", () -> admin.blockKey(VIEWER, key, true));
    w.put("regenerateKey", () -> admin.regenerateKey(VIEWER, key, Optional.of(Duration.ZERO)));
    w.put("deleteKey", () -> admin.deleteKey(VIEWER, key));
    w.put("deleteKeys", () -> admin.deleteKeys(VIEWER, List.of(key)));
    w.put(
        "upsertDeployment",
        () -> admin.upsertDeployment(VIEWER, Fixtures.deployment("d9", "model-cheap").build()));
    w.put("deleteDeployment", () -> admin.deleteDeployment(VIEWER, "d9"));
    w.put(
        "createOperator",
        () -> admin.createOperator(VIEWER, "auditor@example.com", new Grant.ProxyAdmin()));
    w.put(
        "updateOperator",
        () -> admin.updateOperator(VIEWER, "auditor@example.com", new Grant.ProxyAdmin()));
    w.put("deleteOperator", () -> admin.deleteOperator(VIEWER, "someone"));
    return w;
  }

  @Test
  void aViewerIsRefusedEveryWriteAndNothingChanges() {
    var keysBefore = admin.keys(MASTER, KeyQuery.all(PageRequest.first(100))).items();
    var usersBefore = admin.users(MASTER, UserQuery.all(PageRequest.first(100))).items();
    var teamsBefore = admin.teams(MASTER, PageRequest.first(100)).items();
    int auditBefore = audit().size();

    writes()
        .forEach(
            (name, call) -> {
              Throwable t = catchThrowable(call::run);
              assertThat(t).as(name).isInstanceOf(PermissionDeniedException.class);
              assertThat(t.getMessage()).as(name).startsWith("a viewer may not ");
            });

    assertThat(admin.keys(MASTER, KeyQuery.all(PageRequest.first(100))).items())
        .isEqualTo(keysBefore);
    assertThat(admin.users(MASTER, UserQuery.all(PageRequest.first(100))).items())
        .isEqualTo(usersBefore);
    assertThat(admin.teams(MASTER, PageRequest.first(100)).items()).isEqualTo(teamsBefore);
    assertThat(admin.operators(MASTER)).isEmpty();
    assertThat(audit()).hasSize(auditBefore);
  }

  /** A write added to the service later must be added to {@link #writes()} (and gated). */
  @Test
  void everyWriteOfTheAdminServiceIsCoveredAbove() {
    Set<String> verbs =
        Set.of("create", "update", "delete", "generate", "block", "regenerate", "upsert", "remove");
    Set<String> writeMethods =
        Arrays.stream(AdminService.class.getDeclaredMethods())
            .filter(m -> Modifier.isPublic(m.getModifiers()))
            .map(Method::getName)
            .filter(n -> verbs.stream().anyMatch(n::startsWith))
            .collect(Collectors.toSet());

    assertThat(writes().keySet()).containsExactlyInAnyOrderElementsOf(writeMethods);
  }
}

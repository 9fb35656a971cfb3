package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Principal;
import java.net.http.HttpResponse;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * s8-alerts: {@code /ui/alerts} shows a failed delivery with its attempts and last error; a team
 * admin sees only its team's members' alerts; a member does not get the page.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiAlertsPageTest {
  private UiStack stack;

  @BeforeAll
  void start() {
    stack = UiStack.startWithSessions();
    AdminService admin = stack.server().gateway().admin();
    admin.createUser(Principal.MASTER, UserSpec.member("alice-alerts", "drafting"));
    admin.createUser(Principal.MASTER, UserSpec.member("bob-alerts", "coding"));
    insert("alice-alerts", "failed", 20, "webhook: HTTP 500");
    insert("bob-alerts", "delivered", 1, null);
  }

  private void insert(String user, String state, int attempts, String error) {
    stack.sql(
        "INSERT INTO alert_outbox (scope_kind, scope_id, time_window, period, threshold_kind,"
            + " threshold_value, committed_nanos, limit_nanos, resets_at, state, attempts,"
            + " last_error, finished_at) VALUES ('USER', ?, 'DAILY', '2026-11-27@UTC', 'fraction',"
            + " 8000, 14000000, 17000000, now() + interval '1 day', ?, ?, ?, now())",
        user,
        state,
        attempts,
        error);
  }

  @AfterAll
  void stop() {
    stack.close();
  }

  private HttpResponse<String> get(Grant grant, String path) throws Exception {
    UiHttp http = new UiHttp(stack.baseUrl());
    http.cookies.put(Cookies.SESSION, stack.session("someone@example.com", grant).cookie());
    return http.get(path);
  }

  @Test
  void aFailedAlertIsShownWithItsAttemptsAndLastError() throws Exception {
    HttpResponse<String> r = get(new Grant.Viewer(), "/ui/alerts?state=failed");
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(r.body())
        .contains("alice-alerts")
        .contains("webhook: HTTP 500")
        .contains("<td>20</td>")
        .contains("80 %")
        .doesNotContain("bob-alerts");
    assertThat(get(new Grant.Viewer(), "/ui/alerts").body()).contains("bob-alerts");
  }

  @Test
  void aTeamAdminSeesItsTeamsAlertsOnly() throws Exception {
    HttpResponse<String> r = get(new Grant.TeamAdmin(Set.of("coding")), "/ui/alerts");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).contains("bob-alerts").doesNotContain("alice-alerts");
  }

  @Test
  void aMemberMayNotOpenThePage() throws Exception {
    assertThat(get(new Grant.Member("alice-alerts"), "/ui/alerts").statusCode()).isEqualTo(403);
  }
}

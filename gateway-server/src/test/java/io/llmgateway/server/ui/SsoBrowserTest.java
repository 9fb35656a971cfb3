package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Single sign-on in a real headless Chromium against a real OIDC provider started in-process
 * ({@link SsoIdp}) and a gateway with single sign-on only (no break-glass account): a proxy admin,
 * a team admin, a viewer and an employee (a gateway user by e-mail) sign in with the provider; an
 * unknown person and an unverified e-mail are refused with an HTML page ({@link SsoFlowTest} has
 * the tampered state, the replayed code and the refused ID tokens). Screenshots land in {@code
 * target/ui-screenshots/sso-*.png}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SsoBrowserTest extends BrowserTest {
  private SsoIdp idp;
  private UiStack base;
  private UiStack sso;
  private String employeeId;

  static final RoleMapping ROLES =
      new RoleMapping(
          Set.of("gateway-admins"),
          Set.of("auditors"),
          Map.of("eng-leads", Set.of("team-eng"), "ml-leads", Set.of("team-ml")));

  @BeforeAll
  void start() throws Exception {
    idp = new SsoIdp();
    base = UiStack.start();
    for (String team : List.of("team-eng", "team-ml")) {
      assertThat(api("/team/new", "{\"team_id\":\"" + team + "\",\"team_alias\":\"" + team + "\"}"))
          .contains(team);
    }
    String user = api("/user/new", "{\"user_email\":\"erin@corp.example\"}");
    employeeId = user.replaceAll("(?s).*\"user_id\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    URI gateway = URI.create("http://127.0.0.1:" + port);
    sso = base.second(UiSettings.builder().oidc(idp.settings(gateway, ROLES)).build(), port);
  }

  @AfterAll
  void stop() {
    for (AutoCloseable c : new AutoCloseable[] {sso, base, idp}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // closing the next one matters more
      }
    }
  }

  @BeforeEach
  void signedOut() {
    if (browser != null) {
      open("/ui/login");
      browser.manage().deleteAllCookies();
    }
  }

  private String api(String path, String json) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base.baseUrl() + path))
                    .header("Authorization", "Bearer " + UiStack.MASTER_KEY)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  /** The single-sign-on gateway (the other, {@code base}, only seeds teams and users). */
  @Override
  protected String baseUrl() {
    return sso.baseUrl();
  }

  /** Signs in through the provider as the next enqueued person. */
  private void signInWithSso() {
    open("/ui/login");
    assertThat(el("#sso").getText()).isEqualTo("Sign in with Corp SSO");
    el("#sso").click();
  }

  /** The grant of the session just made for {@code person}: role, teams, user. */
  private String grantOf(String person) {
    return sso.sqlString(
        "SELECT grant_role || '|' || array_to_string(grant_teams, ',') || '|'"
            + " || coalesce(grant_user, '') FROM ui_sessions WHERE username = ?"
            + " ORDER BY created_at DESC LIMIT 1",
        person);
  }

  @Test
  @Order(1)
  void theSignInPageOffersSingleSignOnAndNoPasswordFormWithoutABreakGlassAccount()
      throws Exception {
    open("/ui/login");
    el("#sso");
    assertThat(browser.findElements(By.id("password"))).isEmpty();
    Browser.screenshot(browser, "sso-01-login");
  }

  @Test
  @Order(2)
  void aMemberOfTheAdminGroupSignsInAsProxyAdminAndSeesTheAdminPages() throws Exception {
    idp.next(
        "alice",
        Map.of(
            "email",
            "alice@corp.example",
            "email_verified",
            true,
            "groups",
            List.of("gateway-admins")));
    signInWithSso();

    wait.until(ExpectedConditions.urlContains("/ui/overview"));
    el("#team-budgets");
    assertThat(grantOf("alice@corp.example")).isEqualTo("proxy_admin||");
    Browser.screenshot(browser, "sso-02-admin-overview");
    open("/ui/teams");
    assertThat(browser.getPageSource()).contains("team-eng").contains("team-ml");
    // The sign-in is in the audit log under the person's name, with the role.
    open("/ui/audit");
    assertThat(browser.getPageSource()).contains("ui.sign_in").contains("ui:alice@corp.example");
    Browser.screenshot(browser, "sso-03-admin-audit");
  }

  @Test
  @Order(3)
  void aTeamLeadSignsInAsTeamAdminOfTheUnionOfTheirGroupsTeams() throws Exception {
    idp.next(
        "tom",
        Map.of(
            "email",
            "tom@corp.example",
            "email_verified",
            true,
            "groups",
            List.of("eng-leads", "ml-leads", "auditors", "unrelated")));
    signInWithSso();

    wait.until(ExpectedConditions.urlContains("/ui/overview"));
    // Highest role wins (team admin over viewer); several team-admin groups: union of teams.
    assertThat(grantOf("tom@corp.example")).isEqualTo("team_admin|team-eng,team-ml|");
    Browser.screenshot(browser, "sso-04-team-admin");
  }

  @Test
  @Order(4)
  void anAuditorSignsInAsViewer() throws Exception {
    idp.next(
        "vera",
        Map.of(
            "email", "vera@corp.example", "email_verified", true, "groups", List.of("auditors")));
    signInWithSso();

    wait.until(ExpectedConditions.urlContains("/ui/overview"));
    assertThat(grantOf("vera@corp.example")).isEqualTo("viewer||");
    Browser.screenshot(browser, "sso-05-viewer");
  }

  @Test
  @Order(5)
  void anEmployeeWhoseEmailIsAGatewayUserSignsInAsThatUserAndLandsOnSelfService() throws Exception {
    // The provider keeps the case the person typed; the gateway user is stored lower-case.
    idp.next("erin", Map.of("email", "Erin@corp.example", "email_verified", true));
    signInWithSso();

    wait.until(ExpectedConditions.urlContains("/ui/me"));
    assertThat(grantOf("Erin@corp.example")).isEqualTo("member||" + employeeId);
    // The self-service page is about the employee's own gateway user, and admin pages are not
    // theirs.
    assertThat(browser.findElement(By.id("me-user")).getText()).isEqualTo(employeeId);
    Browser.screenshot(browser, "sso-06-employee");
    open("/ui/users");
    assertThat(browser.getPageSource()).contains("not for your role");
  }

  @Test
  @Order(6)
  void anUnknownPersonWithNoGroupAndNoGatewayUserIsRefusedWithAPage() throws Exception {
    idp.next(
        "mallory",
        Map.of(
            "email", "mallory@corp.example", "email_verified", true, "groups", List.of("sales")));
    signInWithSso();

    assertThat(el("#error").getText())
        .contains("Your account (mallory@corp.example) has no access to the gateway");
    assertThat(el("#advice").getText()).contains("Ask a gateway administrator");
    assertThat(grantOf("mallory@corp.example")).isNull();
    Browser.screenshot(browser, "sso-07-no-access");
    open("/ui/overview");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
  }

  @Test
  @Order(7)
  void anUnverifiedEmailOfAGatewayUserDoesNotSignInAsThatUser() throws Exception {
    idp.next("erin-impostor", Map.of("email", "erin@corp.example", "email_verified", false));
    signInWithSso();

    assertThat(el("#error").getText()).contains("has no access to the gateway");
    assertThat(grantOf("erin@corp.example")).isNull();
  }
}

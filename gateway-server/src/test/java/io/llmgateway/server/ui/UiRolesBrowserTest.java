package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.KeyQuery;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.identity.VirtualKey;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The UI per role, in a real headless Chromium against a real gateway on real PostgreSQL with the
 * seed's models served by the Bedrock stub: a proxy admin manages named operators (and a changed
 * operator's session ends); a viewer sees lists and details without a single form, and its forged
 * POST is refused with the UI's 403 page and changes nothing; a team admin sees its team only; a
 * member lands on self-service, creates a key within its tier that then answers a real chat
 * completion through the OpenAI SDK, rotates and revokes it, and is refused another tier's model, a
 * budget above its own and another user's key. People are signed in with test sessions ({@link
 * UiStack#signIn}), not single sign-on. Screenshots land in {@code target/ui-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiRolesBrowserTest extends StackBrowserTest {
  private AdminService admin;
  private String bobsKey;

  @Override
  protected UiStack newStack() {
    return UiStack.startWithBedrockStub();
  }

  @BeforeAll
  void start() throws Exception {
    admin = stack.server().services().gateway().admin();
    // alice (self-service) and bob in drafting, carol in coding (from config/tiers.yaml).
    admin.createUser(
        Principal.MASTER,
        UserSpec.member("alice", "drafting").toBuilder().email("alice@example.com").build());
    bobsKey =
        admin
            .generateKey(
                Principal.MASTER,
                KeySpec.forUser("bob").toBuilder().teamId("drafting").alias("bobs-key").build())
            .key()
            .id();
    admin.generateKey(
        Principal.MASTER,
        KeySpec.forUser("carol").toBuilder().teamId("coding").alias("carols-key").build());
  }

  private boolean present(String css) {
    return !browser.findElements(By.cssSelector(css)).isEmpty();
  }

  private List<String> nav() {
    return browser.findElements(By.cssSelector("header nav a")).stream()
        .map(WebElement::getText)
        .toList();
  }

  private void acceptConfirms() {
    ((JavascriptExecutor) browser).executeScript("window.confirm = function () { return true; };");
  }

  /** A raw HTTP client signed in with a test session of {@code grant}, and its CSRF token. */
  private UiHttp as(String name, Grant grant, String[] csrf) {
    UiStack.TestSession s = stack.session(name, grant);
    UiHttp http = new UiHttp(stack.baseUrl());
    http.cookies.put(Cookies.SESSION, s.cookie());
    csrf[0] = s.csrf();
    return http;
  }

  @Test
  @Order(1)
  void aProxyAdminManagesNamedOperatorsAndAChangeEndsThatPersonsSession() throws Exception {
    String[] leadCsrf = new String[1];
    UiHttp lead = as("lead@example.com", new Grant.Viewer(), leadCsrf);
    assertThat(lead.get("/ui/overview").statusCode()).isEqualTo(200);

    stack.signIn(browser, "root@example.com", new Grant.ProxyAdmin());
    open("/ui/operators");
    assertThat(nav()).contains("Operators", "Audit log").doesNotContain("My keys and budgets");
    assertThat(el("#role").getText()).isEqualTo("proxy admin");
    el("#operator-name").sendKeys("Lead@Example.com");
    new org.openqa.selenium.support.ui.Select(el("#operator-role")).selectByValue("team_admin");
    el("#operator-teams").sendKeys("drafting");
    el("#create-operator").click();

    assertThat(el("#notice").getText()).contains("Operator saved");
    assertThat(el("#operators").getText()).contains("lead@example.com", "team_admin", "drafting");
    assertThat(admin.grantFor("lead@example.com"))
        .hasValue(new Grant.TeamAdmin(Set.of("drafting")));
    assertThat(
            admin
                .auditEvents(Principal.MASTER, Optional.of("operator"), PageRequest.first(1))
                .items()
                .getFirst()
                .actor())
        .isEqualTo("ui:root@example.com");
    // The lead's session (made before) has ended: back to sign-in.
    HttpResponse<String> after = lead.get("/ui/overview");
    assertThat(after.statusCode()).isEqualTo(303);
    assertThat(after.headers().firstValue("Location")).hasValue("/ui/login");
    fitsIn1280();
    Browser.screenshot(browser, "roles-01-operators");
  }

  @Test
  @Order(2)
  void aViewerSeesListsAndDetailsWithoutFormsAndItsPostIsRefused() throws Exception {
    stack.signIn(browser, "auditor@example.com", new Grant.Viewer());
    open("/ui/teams");
    assertThat(el("#teams").getText()).contains("drafting", "coding");
    assertThat(nav()).contains("Teams", "Users", "Keys", "Audit log").doesNotContain("Operators");
    assertThat(el("#role").getText()).contains("viewer");
    assertThat(present("#new-team")).isFalse();
    open("/ui/team?id=drafting");
    assertThat(el("#team-settings").getText()).contains("model-cheap");
    assertThat(present("#edit-team")).isFalse();
    open("/ui/keys");
    assertThat(el("#keys").getText()).contains("bobs-key", "carols-key");
    assertThat(present("#new-key")).isFalse();
    assertThat(present("#keys form")).isFalse();
    open("/ui/audit");
    el("table");
    open("/ui/overview");
    el("#team-budgets");
    assertThat(present("#error")).isFalse();
    open("/ui/keys");
    Browser.screenshot(browser, "roles-02-viewer-keys");
    open("/ui/operators");
    assertThat(el("#error").getText()).contains("not for your role");

    String[] csrf = new String[1];
    UiHttp viewer = as("auditor@example.com", new Grant.Viewer(), csrf);
    HttpResponse<String> post =
        viewer.post(
            "/ui/team?id=drafting",
            Map.of("_csrf", csrf[0], "alias", "hacked", "models", "model-reasoning"),
            viewer.sameOrigin());
    assertThat(post.statusCode()).isEqualTo(403);
    assertThat(post.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/html"));
    assertThat(post.body()).contains("may not do this").doesNotContain("{\"error\"");
    assertThat(admin.team(Principal.MASTER, "drafting").alias()).isNotEqualTo("hacked");
    assertThat(admin.team(Principal.MASTER, "drafting").models()).containsExactly("model-cheap");
  }

  @Test
  @Order(3)
  void aTeamAdminSeesItsOwnTeamOnly() throws Exception {
    stack.signIn(browser, "lead@example.com", new Grant.TeamAdmin(Set.of("drafting")));
    open("/ui/users");
    assertThat(el("#users").getText()).contains("alice", "bob").doesNotContain("carol");
    assertThat(nav()).doesNotContain("Audit log", "Operators");
    assertThat(el("#role").getText()).contains("team admin of drafting");
    assertThat(present("#new-user")).isTrue();
    open("/ui/keys");
    assertThat(el("#keys").getText()).contains("bobs-key").doesNotContain("carols-key");
    open("/ui/teams");
    assertThat(el("#teams").getText()).contains("drafting").doesNotContain("coding");
    open("/ui/overview");
    assertThat(el("#team-budgets").getText()).contains("drafting").doesNotContain("coding");
    assertThat(present("#error")).isFalse();
    open("/ui/models");
    assertThat(el("main table").getText())
        .contains("model-cheap")
        .doesNotContain("model-reasoning");
    open("/ui/spend");
    el("#spend-filters");
    assertThat(present("#error")).isFalse();
    open("/ui/teams");
    assertThat(present("#new-team")).isFalse();
    fitsIn1280();
    Browser.screenshot(browser, "roles-03-team-admin-users");

    // Another team by URL: its users are refused, its team page is never shown, its user's keys
    // are none of this admin's.
    open("/ui/users?team=coding");
    assertThat(el("#error").getText()).contains("may not");
    assertThat(browser.getPageSource()).doesNotContain("carol");
    open("/ui/team?id=coding");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/teams");
    open("/ui/keys?user=carol");
    assertThat(el("#keys").getText()).doesNotContain("carols-key");
    open("/ui/audit");
    assertThat(el("#error").getText()).contains("not for your role");
    Browser.screenshot(browser, "roles-04-team-admin-refused");
  }

  @Test
  @Order(4)
  void aMemberCreatesAKeyWithinItsTierThatAnswersAChatAndRotatesAndRevokesIt() throws Exception {
    stack.signIn(browser, "alice@example.com", new Grant.Member("alice"));
    open("/ui");
    wait.until(ExpectedConditions.urlContains("/ui/me"));
    assertThat(nav()).containsExactly("My keys and budgets");
    assertThat(el("#role").getText()).isEqualTo("self-service");
    assertThat(el("#my-budgets").getText()).contains("daily", "monthly", "$0.017", "$0.50");
    assertThat(el("#my-key-models").getText())
        .contains("model-cheap")
        .doesNotContain("model-balanced");

    el("#my-key-alias").sendKeys("alice-laptop");
    el("#my-key-models input[value='model-cheap']").click();
    el("#my-key-daily").sendKeys("0.010");
    el("#my-key-days").sendKeys("30");
    el("#create-my-key").click();
    String plaintext = el("#issued-key").getText();
    assertThat(plaintext).startsWith("sk-");
    Browser.screenshot(browser, "roles-05-member-key-issued");
    assertThat(el("#back-to-keys").getAttribute("href")).endsWith("/ui/me");

    OpenAIClient client =
        OpenAIOkHttpClient.builder()
            .apiKey(plaintext)
            .baseUrl(stack.baseUrl() + "/v1")
            .maxRetries(0)
            .timeout(Duration.ofSeconds(30))
            .build();
    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("model-cheap")
                    .addUserMessage("Hello from self-service")
                    .build());
    assertThat(answer.choices().getFirst().message().content()).isPresent();
    assertThat(stack.stub.orElseThrow().requestCount()).isPositive();

    el("#back-to-keys").click();
    assertThat(el("#my-keys").getText()).contains("alice-laptop", "model-cheap");
    assertThat(el("#my-usage-models").getText()).contains("model-cheap");
    fitsIn1280();
    Browser.screenshot(browser, "roles-06-member-self-service");

    VirtualKey mine =
        admin
            .keys(Principal.MASTER, KeyQuery.builder(PageRequest.first(10)).user("alice").build())
            .items()
            .getFirst();
    acceptConfirms();
    el("#key-" + mine.id() + " button.rotate").click();
    String rotated = el("#issued-key").getText();
    assertThat(rotated).startsWith("sk-").isNotEqualTo(plaintext);
    assertThatThrownBy(
            () ->
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("model-cheap")
                            .addUserMessage("old value")
                            .build()))
        .isInstanceOf(OpenAIServiceException.class);
    el("#back-to-keys").click();
    acceptConfirms();
    el("#key-" + mine.id() + " button.block").click();
    assertThat(el("#notice").getText()).contains("Key blocked");
    assertThat(admin.key(Principal.MASTER, mine.id()).blocked()).isTrue();
    assertThat(
            admin
                .auditEvents(Principal.MASTER, Optional.of("key"), PageRequest.first(1))
                .items()
                .getFirst()
                .actor())
        .isEqualTo("ui:alice@example.com");
  }

  @Test
  @Order(5)
  void aMemberIsRefusedAnotherTiersModelABudgetAboveItsOwnAndAnotherUsersKey() throws Exception {
    stack.signIn(browser, "alice@example.com", new Grant.Member("alice"));
    open("/ui/me");
    // A forged form: the page offers only the tier's models, so the test adds another.
    ((JavascriptExecutor) browser)
        .executeScript(
            "var f = document.getElementById('my-key-models');"
                + "var i = document.createElement('input'); i.type = 'checkbox'; i.name = 'models';"
                + " i.value = 'model-balanced'; i.checked = true; f.appendChild(i);");
    el("#my-key-alias").sendKeys("sneaky");
    el("#my-key-models input[value='model-cheap']").click();
    el("#my-key-daily").sendKeys("1.00");
    el("#my-key-days").sendKeys("30");
    submit("#create-my-key");
    // Both problems at once, each next to its field, and everything typed is still there.
    assertThat(el("#error").getText()).contains("model-balanced", "above your tier's");
    assertThat(el("#err-models").getText()).contains("model-balanced");
    assertThat(el("#err-daily_budget").getText()).contains("above your tier's");
    assertThat(el("#my-key-alias").getAttribute("value")).isEqualTo("sneaky");
    assertThat(el("#my-key-daily").getAttribute("value")).isEqualTo("1.00");
    assertThat(el("#my-key-days").getAttribute("value")).isEqualTo("30");
    assertThat(el("#my-key-models input[value='model-cheap']").isSelected()).isTrue();
    Browser.screenshot(browser, "roles-07-member-refused-budget");

    // Fixed in place (the forged model is gone from the page), the budget is still too high.
    el("#my-key-alias").clear();
    el("#my-key-alias").sendKeys("rich");
    submit("#create-my-key");
    assertThat(el("#err-daily_budget").getText()).contains("above your tier's");
    assertThat(el("#my-key-alias").getAttribute("value")).isEqualTo("rich");
    assertThat(
            admin
                .keys(
                    Principal.MASTER, KeyQuery.builder(PageRequest.first(10)).user("alice").build())
                .items())
        .extracting(k -> k.alias().orElse(""))
        .doesNotContain("sneaky", "rich");

    // Another user's key by id: not found, unchanged; admin pages are not for a member.
    String[] csrf = new String[1];
    UiHttp member = as("alice@example.com", new Grant.Member("alice"), csrf);
    HttpResponse<String> rotate =
        member.post(
            "/ui/me/keys/rotate?id=" + bobsKey, Map.of("_csrf", csrf[0]), member.sameOrigin());
    assertThat(rotate.statusCode()).isEqualTo(404);
    assertThat(rotate.body())
        .contains("key not found")
        .doesNotContain("issued-key")
        .doesNotContain("bobs-key")
        .doesNotContain(admin.key(Principal.MASTER, bobsKey).displayPrefix());
    VirtualKey bobs = admin.key(Principal.MASTER, bobsKey);
    assertThat(bobs.previousHash()).isEmpty();
    assertThat(bobs.blocked()).isFalse();
    HttpResponse<String> keys = member.get("/ui/keys?user=bob");
    assertThat(keys.statusCode()).isEqualTo(403);
    assertThat(keys.body()).doesNotContain("bobs-key").contains("not for your role");
    assertThat(member.get("/ui/overview").statusCode()).isEqualTo(403);
    open("/ui/overview");
    assertThat(el("#back-home").getAttribute("href")).endsWith("/ui/me");
    Browser.screenshot(browser, "roles-08-member-refused-page");
  }
}

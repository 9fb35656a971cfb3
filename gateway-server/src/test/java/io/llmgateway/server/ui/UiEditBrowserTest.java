package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * Issue 16 (edit): in real Chromium against a real gateway on real PostgreSQL, an operator's
 * refused form keeps what was typed and shows every problem as HTML; edits of a user's budget and
 * of a key's models, rpm and expiry apply, and the gateway enforces them on real chat completions
 * through the OpenAI Java SDK; rotation with a 60 s grace keeps the old value working, rotation
 * without one stops it. Every page fits 1280 px. Screenshots in {@code target/ui-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiEditBrowserTest extends StackBrowserTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeAll
  void start() throws Exception {
    browser.manage().window().setSize(new Dimension(1280, 800));
    admin(
        "/team/new",
        "{\"team_alias\":\"editing\",\"models\":[\"model-cheap\",\"model-balanced\"]}");
    admin("/user/new", "{\"user_id\":\"frank\",\"team_id\":\"editing\",\"auto_create_key\":false}");
    admin(
        "/key/generate",
        "{\"user_id\":\"frank\",\"team_id\":\"editing\",\"key_alias\":\"frank-limited\"}");
    signIn();
  }

  private String admin(String path, String body) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.baseUrl() + path))
                .header("Authorization", "Bearer " + UiStack.MASTER_KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private OpenAIClient client(String key) {
    return OpenAIOkHttpClient.builder()
        .apiKey(key)
        .baseUrl(stack.baseUrl() + "/v1")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private static String chat(OpenAIClient c, String model) {
    return c.chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("Hello from the edit test")
                .maxCompletionTokens(16)
                .build())
        .id();
  }

  @Test
  @Order(1)
  void aUserWithAnUnknownTeamAndABadBudgetShowsBothProblemsAndKeepsTheValues() throws Exception {
    open("/ui/users");
    type("#f-user_id", "erin");
    type("#f-user_email", "erin@example.com");
    type("#f-team_id", "no-such-team");
    type("#f-daily_budget", "ten dollars");
    type("#f-monthly_budget", "20");
    submit("#create-user");

    assertThat(el("#err-team_id").getText()).contains("team 'no-such-team' does not exist");
    assertThat(el("#err-daily_budget").getText()).contains("daily budget must be an amount");
    assertThat(el("#error").getText()).contains("2 problems");
    assertThat(value("#f-user_id")).isEqualTo("erin");
    assertThat(value("#f-user_email")).isEqualTo("erin@example.com");
    assertThat(value("#f-team_id")).isEqualTo("no-such-team");
    assertThat(value("#f-daily_budget")).isEqualTo("ten dollars");
    assertThat(value("#f-monthly_budget")).isEqualTo("20");
    assertThat(browser.getPageSource()).doesNotContain("{\"error\"");
    fitsIn1280();
    Browser.screenshot(browser, "20-user-form-all-problems");
  }

  @Test
  @Order(2)
  void editingAUsersBudgetAppliesIt() throws Exception {
    open("/ui/users");
    el("#users a[href='/ui/user?id=frank']").click();
    assertThat(el("#user-keys").getText()).contains("frank-limited");
    type("#f-daily_budget", "0.25");
    type("#f-rpm_limit", "100");
    submit("#save-user");

    assertThat(el("#notice").getText()).isEqualTo("User saved.");
    assertThat(el("#user-budgets").getText()).contains("daily").contains("$0.25");
    assertThat(el("#user-facts").getText()).contains("rpm 100");
    assertThat(value("#f-daily_budget")).isEqualTo("0.25");
    fitsIn1280();
    Browser.screenshot(browser, "21-user-edit");
  }

  @Test
  @Order(3)
  void editingAKeysModelsRpmAndExpiryAppliesAndTheGatewayEnforcesIt() throws Exception {
    // Before the edit the key may call both models of its team.
    String plaintext = rotateFrom("/ui/keys", "frank-limited", "");
    OpenAIClient c = client(plaintext);
    chat(c, "model-balanced");

    String expires = LocalDate.now(ZoneOffset.UTC).plusDays(10).toString();
    type("#f-models", "model-cheap");
    type("#f-rpm_limit", "2");
    type("#f-expires", expires);
    submit("#save-key");

    assertThat(el("#notice").getText()).isEqualTo("Key saved.");
    assertThat(el("#key-models").getText()).isEqualTo("model-cheap");
    assertThat(el("#key-rates").getText()).contains("rpm 2");
    assertThat(el("#key-expires").getText()).contains(expires);
    fitsIn1280();
    Browser.screenshot(browser, "22-key-edit");

    // The model taken off the key is refused; the one left works until the new rpm is used up.
    assertThatThrownBy(() -> chat(c, "model-balanced"))
        .isInstanceOf(PermissionDeniedException.class);
    chat(c, "model-cheap");
    assertThatThrownBy(
            () -> {
              for (int i = 0; i < 3; i++) {
                chat(c, "model-cheap");
              }
            })
        .isInstanceOf(RateLimitException.class);
  }

  @Test
  @Order(4)
  void aBadEditKeepsTheValuesAndNamesEveryField() throws Exception {
    type("#f-rpm_limit", "0");
    type("#f-expires", "next week");
    type("#f-metadata", "{not json");
    submit("#save-key");

    assertThat(el("#err-rpm_limit").getText()).contains("rpm limit must be a whole number");
    assertThat(el("#err-expires").getText()).contains("must be a date");
    assertThat(el("#err-metadata").getText()).contains("JSON object");
    assertThat(value("#f-expires")).isEqualTo("next week");
    assertThat(value("#f-metadata")).isEqualTo("{not json");
    Browser.screenshot(browser, "23-key-edit-problems");
  }

  @Test
  @Order(5)
  void rotatingWithAGracePeriodKeepsTheOldValueWorkingAndWithoutOneStopsIt() throws Exception {
    admin(
        "/key/generate",
        "{\"user_id\":\"frank\",\"team_id\":\"editing\",\"key_alias\":\"frank-rotating\"}");
    String first = rotateFrom("/ui/keys", "frank-rotating", "");

    String second = rotateFrom(null, null, "60s");
    assertThat(second).isNotEqualTo(first);
    chat(client(first), "model-cheap");
    chat(client(second), "model-cheap");
    el("#back-to-keys").click();
    el("tr[data-alias='frank-rotating'] a").click();
    assertThat(el("#key-grace").getText()).contains("the previous value works until");
    Browser.screenshot(browser, "24-key-rotated-with-grace");

    String third = rotateFrom(null, null, "");
    chat(client(third), "model-cheap");
    assertThatThrownBy(() -> chat(client(second), "model-cheap"))
        .isInstanceOf(UnauthorizedException.class);
    assertThatThrownBy(() -> chat(client(first), "model-cheap"))
        .isInstanceOf(UnauthorizedException.class);
  }

  /**
   * Rotates a key on its page (opened from {@code list} by its alias link, or the page shown) with
   * {@code grace}, and returns the new value from the once-only page; then opens the key page.
   */
  private String rotateFrom(String list, String alias, String grace) throws Exception {
    if (list != null) {
      open(list);
      el("tr[data-alias='" + alias + "'] a").click();
    }
    String keyPage = browser.getCurrentUrl().replaceAll("&notice=.*", "");
    type("#f-grace_period", grace);
    el("#rotate").click();
    wait.until(ExpectedConditions.alertIsPresent()).accept();
    String plaintext = el("#issued-key").getText();
    assertThat(plaintext).startsWith("sk-");
    if (!grace.isEmpty()) {
      return plaintext;
    }
    browser.get(keyPage);
    el("#edit-key");
    return plaintext;
  }
}

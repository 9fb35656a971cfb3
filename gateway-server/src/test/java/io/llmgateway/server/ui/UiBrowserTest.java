package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

/**
 * The admin UI in a real headless Chromium against a real gateway on real PostgreSQL: an operator
 * signs in, creates a team and a key, sees the key's spend after a real chat completion through the
 * gateway with that key, blocks it (the gateway then refuses it), visits every page, and signs out.
 * Screenshots of the main pages land in {@code target/ui-screenshots/}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiBrowserTest extends StackBrowserTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> chat(String key) throws Exception {
    String body =
        "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello from the UI test\"}]}";
    return http.send(
        HttpRequest.newBuilder(URI.create(baseUrl() + "/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(30))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void aWrongPasswordIsRefused() throws Exception {
    submitSignIn("not the password");

    assertThat(el("#error").getText()).contains("Wrong user name or password");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
    Browser.screenshot(browser, "01-login-refused");
    open("/ui/overview");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
  }

  @Test
  @Order(2)
  void anOperatorCreatesATeamAndAKeyAndSeesTheKeysSpendAfterAChatRequest() throws Exception {
    submitSignIn(UiStack.PASSWORD);
    wait.until(ExpectedConditions.urlContains("/ui/overview"));
    el("#team-budgets");

    open("/ui/teams");
    type("#team-alias", "research");
    type("#team-tier", "coding");
    type("#team-models", "model-cheap, model-balanced");
    type("#team-member-daily", "0.05");
    type("#team-member-monthly", "1.00");
    type("#team-team-daily", "0.01");
    el("#create-team").click();
    assertThat(el("#notice").getText()).isEqualTo("Team created.");
    assertThat(el("#teams").getText()).contains("research").contains("$0.05");
    Browser.screenshot(browser, "03-teams");

    open("/ui/keys");
    type("#key-alias", "alice-laptop");
    type("#key-user", "alice");
    type("#key-team", "research");
    el("#create-key").click();
    String plaintext = el("#issued-key").getText();
    assertThat(plaintext).startsWith("sk-");
    Browser.screenshot(browser, "05-key-created-once");

    HttpResponse<String> answer = chat(plaintext);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    assertThat(chat(plaintext).statusCode()).isEqualTo(200);

    el("#back-to-keys").click();
    WebElement row = el("tr[data-alias='alice-laptop']");
    assertThat(row.getText()).contains("active").doesNotContain(plaintext);
    String spend = row.findElement(By.cssSelector(".spend-month")).getText();
    assertThat(spend).startsWith("$").isNotEqualTo("$0.00");
    assertThat(row.getText()).contains(" 2 "); // two requests this month
    Browser.screenshot(browser, "04-keys-with-spend");

    row.findElement(By.cssSelector("button.block")).click();
    assertThat(el("#notice").getText()).startsWith("Key blocked");
    assertThat(el("tr[data-alias='alice-laptop']").getText()).contains("blocked");
    HttpResponse<String> refused = chat(plaintext);
    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("blocked");
  }

  @Test
  @Order(3)
  void everyMainPageRendersWithData() throws Exception {
    open("/ui/overview");
    assertThat(el("#team-budgets").getText()).contains("research");
    assertThat(el("#top-users").getText()).contains("alice");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#chart-cost canvas")));
    Browser.screenshot(browser, "02-overview");

    open("/ui/team?id=research");
    assertThat(el("#members").getText()).contains("alice");
    Browser.screenshot(browser, "03b-team-edit");

    open("/ui/users");
    assertThat(el("#users").getText()).contains("alice").contains("research");
    Browser.screenshot(browser, "06-users");

    open("/ui/models");
    assertThat(el("#models").getText()).contains("model-cheap").contains("healthy");
    Browser.screenshot(browser, "07-models");

    open("/ui/spend?team=research");
    assertThat(el("#spend").getText()).contains("model-cheap").contains("success");
    assertThat(el("#export-csv").getAttribute("href")).contains("/ui/spend.csv?team=research");
    Browser.screenshot(browser, "08-spend-logs");

    open("/ui/audit");
    assertThat(el("#audit").getText()).contains("key.block").contains("team.create");
    Browser.screenshot(browser, "09-audit-log");
  }

  @Test
  @Order(4)
  void signingOutEndsTheSession() throws Exception {
    open("/ui/overview");
    el("#logout").click();

    assertThat(el("#notice").getText()).isEqualTo("You are signed out.");
    open("/ui/keys");
    assertThat(browser.getCurrentUrl()).endsWith("/ui/login");
    Browser.screenshot(browser, "10-signed-out");
  }
}

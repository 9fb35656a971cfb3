package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.identity.Principal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Requests page in real headless Chromium against a gateway on real PostgreSQL: after an
 * admitted request, a blocked key's and a model-not-allowed one, an operator filters the page to
 * one user's refusals and sees why each was refused, by key alias, within 1280 px. Screenshot:
 * {@code target/ui-screenshots/reqlog-requests-refused.png}.
 */
class UiRequestsBrowserTest extends StackBrowserTest {
  private final HttpClient http = HttpClient.newHttpClient();

  private int chat(String key, String model) throws Exception {
    String body =
        "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    return http.send(
            HttpRequest.newBuilder(URI.create(stack.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }

  @Test
  void anOperatorFiltersOneUsersRefusalsAndSeesWhyByKeyAlias() throws Exception {
    AdminService admin = stack.server().gateway().admin();
    admin.createUser(Principal.MASTER, UserSpec.member("alice", "drafting"));
    admin.createUser(Principal.MASTER, UserSpec.member("bob", "drafting"));
    IssuedKey laptop =
        admin.generateKey(
            Principal.MASTER,
            KeySpec.forUser("alice").toBuilder().teamId("drafting").alias("alice-laptop").build());
    IssuedKey old =
        admin.generateKey(
            Principal.MASTER,
            KeySpec.forUser("alice").toBuilder().teamId("drafting").alias("alice-old").build());
    IssuedKey bobs =
        admin.generateKey(
            Principal.MASTER, KeySpec.forUser("bob").toBuilder().teamId("drafting").build());
    admin.blockKey(Principal.MASTER, old.key().id(), true);
    assertThat(chat(laptop.plaintext(), "model-cheap")).isEqualTo(200);
    assertThat(chat(laptop.plaintext(), "model-reasoning")).isEqualTo(403);
    assertThat(chat(old.plaintext(), "model-cheap")).isEqualTo(401);
    assertThat(chat(bobs.plaintext(), "model-reasoning")).isEqualTo(403);

    signIn();
    browser.manage().window().setSize(new Dimension(1280, 800));

    // One nav entry leads there.
    browser.findElement(By.linkText("Requests")).click();
    wait.until(ExpectedConditions.urlContains("/ui/requests"));
    assertThat(el("#requests").getText()).contains("alice-laptop", "alice-old", "success");

    type("#request-filters input[name=user]", "alice");
    new Select(el("#request-filters select[name=status]")).selectByValue("refused");
    el("#request-filters button[type=submit]").click();
    wait.until(ExpectedConditions.urlContains("status=refused"));

    List<WebElement> rows = browser.findElements(By.cssSelector("#requests tbody tr"));
    assertThat(rows).hasSize(2);
    String newest = rows.get(0).getText();
    String older = rows.get(1).getText();
    assertThat(newest)
        .contains("refused", "401", "blocked_api_key", "alice-old", "alice", "drafting");
    assertThat(older)
        .contains("refused", "403", "model_not_allowed", "alice-laptop", "model-reasoning");
    assertThat(el("#requests").getText()).doesNotContain("bob", "key_", "success");
    fitsIn1280();
    Browser.screenshot(browser, "reqlog-requests-refused");
  }
}

package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Playground in a real headless Chromium ({@link BedrockStubBrowserTest}): it sends as a picked
 * key (the answer streams in, tokens and cost appear, the key's remaining budgets fall by exactly
 * that cost, the use is audited), refuses an over-budget key with the gateway's message, works with
 * a pasted key that no UI endpoint ever sees, and spends nothing on a forged post.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiPlaygroundBrowserTest extends BedrockStubBrowserTest {
  @BeforeAll
  void signInOnce() {
    signIn();
  }

  private List<BigDecimal> remaining() {
    List<BigDecimal> out = new ArrayList<>();
    for (WebElement tr :
        browser.findElements(By.cssSelector("#pg-budgets tbody tr[data-remaining]"))) {
      out.add(new BigDecimal(tr.getAttribute("data-remaining")));
    }
    return out;
  }

  /**
   * Waits until the model list is the chosen key's: model-cheap first, as every key here has. The
   * page refills the list when a key is chosen, so an option read mid-refill is stale: not yet.
   */
  private void waitForModelsOfTheKey() {
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .ignoring(StaleElementReferenceException.class)
        .until(
            d -> {
              List<WebElement> models = new Select(d.findElement(By.id("pg-model"))).getOptions();
              return !models.isEmpty()
                  && "model-cheap".equals(models.getFirst().getAttribute("value"));
            });
  }

  private void waitForBudgets() {
    wait.until(
        d -> !d.findElements(By.cssSelector("#pg-budgets tbody tr[data-remaining]")).isEmpty());
  }

  @Test
  @Order(1)
  void thePlaygroundStreamsAsAPickedKeyAndShowsTokensCostAndTheBudgetItTook() throws Exception {
    open("/ui/playground");
    new Select(el("#pg-key")).selectByValue(alice.key().id());
    waitForModelsOfTheKey();
    assertThat(new Select(el("#pg-model")).getOptions())
        .extracting(o -> o.getAttribute("value"))
        .containsExactly("model-cheap");
    waitForBudgets();
    List<BigDecimal> before = remaining();
    assertThat(before).hasSize(4); // alice's daily and monthly, the team's daily and monthly

    // The stub sends the first chunk, waits, then the rest: the text shows while still streaming.
    stub.enqueue(StubResponse.echoPausingAfterFirstChunk(Duration.ofMillis(1500)));
    WebElement message = el("#pg-message");
    message.clear();
    message.sendKeys("Playground says hello to the stub");
    el("#pg-send").click();
    wait.until(d -> !d.findElement(By.id("pg-output")).getText().isEmpty());
    assertThat(el("#pg-state").getText()).isEqualTo("streaming…");
    wait.until(ExpectedConditions.textToBe(By.id("pg-state"), "done"));
    wait.until(d -> !d.findElement(By.id("pg-cost")).getAttribute("data-usd").isEmpty());
    assertThat(el("#pg-output").getText()).isEqualTo("echo: Playground says hello to the stub");

    String requestId = el("#pg-request").getText();
    SpendRecord row =
        admin
            .spendLogs(
                Principal.MASTER,
                SpendQuery.builder(PageRequest.first(1)).requestId(requestId).build())
            .items()
            .getFirst();
    assertThat(row.keyId()).isEqualTo(alice.key().id());
    assertThat(row.cost().isZero()).isFalse();
    assertThat(el("#pg-result-key").getText()).isEqualTo("alice-laptop");
    assertThat(el("#pg-prompt-tokens").getText())
        .isEqualTo(Long.toString(row.usage().orElseThrow().promptTokens()));
    assertThat(el("#pg-completion-tokens").getText())
        .isEqualTo(Long.toString(row.usage().orElseThrow().outputTokens()));
    BigDecimal cost = new BigDecimal(el("#pg-cost").getAttribute("data-usd"));
    assertThat(cost).isEqualByComparingTo(row.cost().toUsd());
    List<BigDecimal> after = remaining();
    assertThat(after).hasSize(before.size());
    for (int i = 0; i < after.size(); i++) {
      assertThat(before.get(i).subtract(after.get(i))).isEqualByComparingTo(cost);
    }
    List<AuditEvent> audit =
        admin.auditEvents(Principal.MASTER, Optional.of("key"), PageRequest.first(50)).items();
    assertThat(audit)
        .anySatisfy(
            e -> {
              assertThat(e.action()).isEqualTo("playground.chat");
              assertThat(e.targetId()).isEqualTo(alice.key().id());
              assertThat(e.actor()).isEqualTo("ui:" + UiStack.USER);
            });
    Browser.screenshot(browser, "22-playground-picked-key");
    assertThat(scrollWidthAt1280()).isLessThanOrEqualTo(1280);
  }

  @Test
  @Order(2)
  void aKeyOverItsBudgetIsRefusedWithTheGatewaysMessage() throws Exception {
    open("/ui/playground");
    new Select(el("#pg-key")).selectByValue(broke.key().id());
    waitForModelsOfTheKey();
    int calls = stub.requestCount();
    el("#pg-send").click();
    wait.until(ExpectedConditions.textToBe(By.id("pg-state"), "refused"));
    String shown = el("#pg-error").getText();
    assertThat(shown).containsIgnoringCase("budget");
    assertThat(stub.requestCount()).isEqualTo(calls);
    // The same refusal the API gives that key.
    var http = java.net.http.HttpClient.newHttpClient();
    var api =
        http.send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(stack.baseUrl() + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + broke.plaintext())
                .header("Content-Type", "application/json")
                .POST(
                    java.net.http.HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"model-cheap\",\"messages\":[{\"role\":\"user\","
                            + "\"content\":\"Hello! Say something short.\"}]}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(429);
    assertThat(api.body()).contains(shown.replace("\"", "\\\""));
    Browser.screenshot(browser, "23-playground-over-budget");
  }

  @Test
  @Order(3)
  void aPastedKeyGoesFromTheBrowserToTheApiAndNeverThroughTheUi() throws Exception {
    open("/ui/playground");
    el("#pg-pasted").sendKeys(pasted.plaintext(), org.openqa.selenium.Keys.TAB);
    waitForModelsOfTheKey();
    WebElement message = el("#pg-message");
    message.clear();
    message.sendKeys("Pasted key test");
    el("#pg-send").click();
    wait.until(ExpectedConditions.textToBe(By.id("pg-state"), "done"));
    wait.until(d -> !d.findElement(By.id("pg-cost")).getAttribute("data-usd").isEmpty());
    assertThat(el("#pg-output").getText()).isEqualTo("echo: Pasted key test");
    assertThat(el("#pg-result-key").getText()).isEqualTo("dave-pasted");
    assertThat(new BigDecimal(el("#pg-cost").getAttribute("data-usd")))
        .isEqualByComparingTo(usd(spendOf(Optional.empty(), Optional.of(pasted.key().id()))));
    waitForBudgets();
    // Sent straight to the API: no playground use of that key was recorded by the UI.
    assertThat(
            admin.auditEvents(Principal.MASTER, Optional.of("key"), PageRequest.first(50)).items())
        .noneMatch(
            e -> e.action().equals("playground.chat") && e.targetId().equals(pasted.key().id()));
    Browser.screenshot(browser, "24-playground-pasted-key");
  }

  @Test
  @Order(4)
  void aPlaygroundPostWithoutTheCsrfTokenOrFromAnotherSiteSpendsNothing() throws Exception {
    UiHttp c = new UiHttp(stack.baseUrl());
    c.signIn(UiStack.USER, UiStack.PASSWORD);
    String token = c.csrf("/ui/playground");
    int before = spendOf(Optional.empty(), Optional.of(alice.key().id())).size();
    int calls = stub.requestCount();
    var form =
        java.util.Map.of("key", alice.key().id(), "model", "model-cheap", "message", "forged");

    var noToken = c.post("/ui/playground/chat", form, c.sameOrigin());
    var foreign =
        c.post(
            "/ui/playground/chat", form, "Origin", "https://evil.example", "X-CSRF-Token", token);
    var ok = c.post("/ui/playground/chat", form, "Origin", stack.baseUrl(), "X-CSRF-Token", token);

    assertThat(noToken.statusCode()).isEqualTo(403);
    assertThat(foreign.statusCode()).isEqualTo(403);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).contains("data: [DONE]");
    assertThat(stub.requestCount()).isEqualTo(calls + 1);
    // Settled as the stream closes, just after its last byte: give it a moment.
    new WebDriverWait(browser, Duration.ofSeconds(5))
        .until(d -> spendOf(Optional.empty(), Optional.of(alice.key().id())).size() > before);
    assertThat(spendOf(Optional.empty(), Optional.of(alice.key().id()))).hasSize(before + 1);
  }
}

package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.bedrock.stub.StubResponse;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.audit.AuditEvent;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Usage and Playground in a real headless Chromium, on a gateway whose models are served by the
 * Bedrock adapter against the wire-format {@link BedrockStub}, over real PostgreSQL. Real requests
 * first (the official OpenAI SDK, blocking and streamed); then Usage for the last 24 h and one team
 * must show the spend log's numbers in its chart data, table and CSV, and the team's budget
 * windows; then the Playground sends as a picked key (the answer streams in, tokens and cost
 * appear, the key's remaining budgets fall by exactly that cost, the use is audited), refuses an
 * over-budget key with the gateway's message, and works with a pasted key that no UI endpoint ever
 * sees.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiUsagePlaygroundBrowserTest extends StackBrowserTest {
  private BedrockStub stub;
  private AdminService admin;
  private IssuedKey alice;
  private IssuedKey bob;
  private IssuedKey broke;
  private IssuedKey pasted;
  private String drafting;

  @Override
  protected UiStack newStack() {
    stub = BedrockStub.start();
    return UiStack.startWith(List.of(Providers.bedrock(stub.settings())));
  }

  @BeforeAll
  void start() throws Exception {
    admin = stack.server().gateway().admin();
    drafting = admin.team(Principal.MASTER, "drafting").id();
    admin.updateTeam(
        Principal.MASTER,
        "drafting",
        new io.llmgateway.core.admin.TeamPatch(
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.of(
                List.of(
                    BudgetLimit.daily(Money.ofUsd("5")), BudgetLimit.monthly(Money.ofUsd("50")))),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            java.util.Optional.empty()));
    alice = key("alice", "drafting", "alice-laptop", List.of());
    bob = key("bob", "coding", "bob-ci", List.of());
    broke = key("carol", "drafting", "carol-broke", List.of(BudgetLimit.daily(Money.ofNanos(1))));
    pasted = key("dave", "drafting", "dave-pasted", List.of());
  }

  private IssuedKey key(String user, String team, String alias, List<BudgetLimit> budgets) {
    admin.createUser(Principal.MASTER, UserSpec.member(user, team));
    return admin.generateKey(
        Principal.MASTER,
        KeySpec.forUser(user).toBuilder().teamId(team).alias(alias).budgets(budgets).build());
  }

  @AfterAll
  void stop() {
    if (stub != null) {
      stub.close();
    }
  }

  private OpenAIClient client(String key) {
    return com.openai.client.okhttp.OpenAIOkHttpClient.builder()
        .apiKey(key)
        .baseUrl(stack.baseUrl() + "/v1")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private List<SpendRecord> spendOf(Optional<String> team, Optional<String> key) {
    return admin
        .spendLogs(
            Principal.MASTER,
            new SpendQuery(
                key,
                Optional.empty(),
                team,
                Optional.empty(),
                Optional.empty(),
                Optional.of(
                    Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23))),
                Optional.empty(),
                PageRequest.first(1000)))
        .items();
  }

  private static BigDecimal usd(List<SpendRecord> rows) {
    return rows.stream().map(SpendRecord::cost).reduce(Money.ZERO, Money::plus).toUsd();
  }

  private static BigDecimal sumJson(Object ys) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Object y : (List<?>) ys) {
      sum = sum.add(new BigDecimal(y.toString()));
    }
    return sum;
  }

  private long scrollWidthAt1280() {
    browser.manage().window().setSize(new Dimension(1280, 800));
    // The charts follow a resize after a short debounce.
    try {
      new WebDriverWait(browser, Duration.ofSeconds(3))
          .until(
              d ->
                  ((Number) browser.executeScript("return document.documentElement.scrollWidth"))
                          .longValue()
                      <= 1280);
    } catch (org.openqa.selenium.TimeoutException e) {
      // asserted by the caller with the width it has
    }
    Object w = browser.executeScript("return document.documentElement.scrollWidth");
    browser.manage().window().setSize(new Dimension(1440, 1100));
    return ((Number) w).longValue();
  }

  @Test
  @Order(1)
  void usageShowsTheSpendLogsNumbersForATeamOverTheLast24HoursAndExportsThem() throws Exception {
    OpenAIClient a = client(alice.plaintext());
    OpenAIClient b = client(bob.plaintext());
    try {
      for (int i = 0; i < 3; i++) {
        a.chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("model-cheap")
                    .addUserMessage("Usage request number " + i + " from alice")
                    .build());
      }
      try (var stream =
          a.chat()
              .completions()
              .createStreaming(
                  ChatCompletionCreateParams.builder()
                      .model("model-cheap")
                      .addUserMessage("A streamed usage request")
                      .streamOptions(
                          ChatCompletionStreamOptions.builder().includeUsage(true).build())
                      .build())) {
        assertThat(stream.stream().map(ChatCompletionChunk::id).toList()).isNotEmpty();
      }
      b.chat()
          .completions()
          .create(
              ChatCompletionCreateParams.builder()
                  .model("model-balanced")
                  .addUserMessage("Bob's request, another team")
                  .build());
    } finally {
      a.close();
      b.close();
    }
    List<SpendRecord> team = spendOf(Optional.of(drafting), Optional.empty());
    assertThat(team).hasSize(4);
    assertThat(spendOf(Optional.empty(), Optional.empty())).hasSize(5);

    signIn();
    open("/ui/usage");
    new Select(el("#usage-range")).selectByValue("24h");
    new Select(el("#usage-team")).selectByValue(drafting);
    el("#usage-show").click();
    wait.until(ExpectedConditions.urlContains("team="));
    // uPlot drew both charts (a canvas each).
    el("#usage-chart-cost canvas");
    el("#usage-chart-requests canvas");

    @SuppressWarnings("unchecked")
    List<java.util.Map<String, Object>> cost =
        (List<java.util.Map<String, Object>>)
            browser.executeScript(
                "return JSON.parse(document.getElementById('usage-chart-cost')"
                    + ".getAttribute('data-series'))");
    @SuppressWarnings("unchecked")
    List<java.util.Map<String, Object>> requests =
        (List<java.util.Map<String, Object>>)
            browser.executeScript(
                "return JSON.parse(document.getElementById('usage-chart-requests')"
                    + ".getAttribute('data-series'))");
    assertThat((List<?>) cost.getFirst().get("y")).hasSize(24);
    assertThat(sumJson(cost.getFirst().get("y"))).isEqualByComparingTo(usd(team));
    assertThat(sumJson(requests.getFirst().get("y"))).isEqualByComparingTo(BigDecimal.valueOf(4));
    assertThat(el("#usage-total-requests").getText()).isEqualTo("4");
    List<WebElement> rows = browser.findElements(By.cssSelector("#usage-breakdown tbody tr"));
    assertThat(rows).hasSize(1);
    assertThat(rows.getFirst().getAttribute("data-group")).isEqualTo(drafting);
    assertThat(new BigDecimal(rows.getFirst().getAttribute("data-cost")))
        .isEqualByComparingTo(usd(team));
    assertThat(rows.getFirst().getText()).contains(" 4 ");
    // The team's live budget windows: its whole-team daily and monthly budgets, spend included.
    String budgets = el("#usage-budgets").getText();
    assertThat(budgets).contains("daily").contains("monthly").contains("$5.00").contains("$50.00");
    Browser.screenshot(browser, "20-usage-team-24h");
    assertThat(scrollWidthAt1280()).isLessThanOrEqualTo(1280);

    // The CSV of the same filter, downloaded by the signed-in browser.
    String csv =
        (String)
            browser.executeAsyncScript(
                "var done = arguments[arguments.length - 1];"
                    + "fetch(document.getElementById('usage-csv').href, {credentials: 'same-origin'})"
                    + ".then(r => r.text()).then(done);");
    // (WebDriver hands the text back with its CRLF line ends as LF.)
    String[] lines = csv.split("\r?\n");
    assertThat(lines[0] + "\r\n").isEqualTo(SpendCsv.SERIES_HEADER);
    assertThat(lines).hasSizeGreaterThan(1);
    BigDecimal csvCost = BigDecimal.ZERO;
    long csvRequests = 0;
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].replace("\"", "").split(",");
      assertThat(f[1]).isEqualTo(drafting);
      csvRequests += Long.parseLong(f[3]);
      csvCost = csvCost.add(new BigDecimal(f[6]));
    }
    assertThat(csvRequests).isEqualTo(4);
    assertThat(csvCost).isEqualByComparingTo(usd(team));

    // Broken down by key: keys by alias, never a bare key id.
    new Select(el("#usage-team")).selectByValue("");
    new Select(el("#usage-by")).selectByValue("key");
    el("#usage-show").click();
    wait.until(ExpectedConditions.urlContains("by=key"));
    String table = el("#usage-breakdown").getText();
    assertThat(table).contains("alice-laptop").contains("bob-ci").doesNotContain("key_");
    Browser.screenshot(browser, "21-usage-by-key");
  }

  private List<BigDecimal> remaining() {
    List<BigDecimal> out = new ArrayList<>();
    for (WebElement tr :
        browser.findElements(By.cssSelector("#pg-budgets tbody tr[data-remaining]"))) {
      out.add(new BigDecimal(tr.getAttribute("data-remaining")));
    }
    return out;
  }

  private void waitForBudgets() {
    wait.until(
        d -> !d.findElements(By.cssSelector("#pg-budgets tbody tr[data-remaining]")).isEmpty());
  }

  @Test
  @Order(2)
  void thePlaygroundStreamsAsAPickedKeyAndShowsTokensCostAndTheBudgetItTook() throws Exception {
    open("/ui/playground");
    new Select(el("#pg-key")).selectByValue(alice.key().id());
    wait.until(
        d ->
            !new Select(d.findElement(By.id("pg-model"))).getOptions().isEmpty()
                && "model-cheap"
                    .equals(
                        new Select(d.findElement(By.id("pg-model")))
                            .getOptions()
                            .getFirst()
                            .getAttribute("value")));
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
                new SpendQuery(
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.of(requestId),
                    Optional.empty(),
                    Optional.empty(),
                    PageRequest.first(1)))
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
  @Order(3)
  void aKeyOverItsBudgetIsRefusedWithTheGatewaysMessage() throws Exception {
    open("/ui/playground");
    new Select(el("#pg-key")).selectByValue(broke.key().id());
    wait.until(
        d ->
            "model-cheap"
                .equals(
                    new Select(d.findElement(By.id("pg-model")))
                        .getOptions()
                        .getFirst()
                        .getAttribute("value")));
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
  @Order(4)
  void aPastedKeyGoesFromTheBrowserToTheApiAndNeverThroughTheUi() throws Exception {
    open("/ui/playground");
    el("#pg-pasted").sendKeys(pasted.plaintext(), org.openqa.selenium.Keys.TAB);
    wait.until(
        d ->
            "model-cheap"
                .equals(
                    new Select(d.findElement(By.id("pg-model")))
                        .getOptions()
                        .getFirst()
                        .getAttribute("value")));
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
  @Order(5)
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

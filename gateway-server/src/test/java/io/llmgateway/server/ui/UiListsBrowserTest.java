package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.TeamSpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.postgres.DatabaseConfig;
import io.llmgateway.postgres.PostgresAdapters;
import io.llmgateway.postgres.testing.PostgresFixture;
import io.llmgateway.server.GatewayServer;
import io.llmgateway.server.ServerConfig;
import io.llmgateway.server.boot.StartupConfigSync;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

/**
 * Issue 16 (lists) in a real headless Chromium against a real gateway on real PostgreSQL whose
 * Bedrock adapter talks to the wire-format {@link BedrockStub}: an operator adds a model in the UI
 * (a refused form keeps what was typed), edits its price, a real {@code /v1/chat/completions} call
 * through the OpenAI SDK is charged at the new price, and the model is deleted; 215 seeded users
 * are searched by email and sorted by spend on the server; and every page, with long names seeded,
 * fits 1280 px. Screenshots in {@code target/ui-screenshots/lists-*}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiListsBrowserTest extends BrowserTest {
  private static final String MASTER_KEY = "sk-ui-lists-master-key-0123456789";
  private static final String LONG =
      "a-really-long-unbroken-name-that-would-push-the-table-wider-than-any-screen-0123456789";
  private static final int USERS = 215;

  private BedrockStub stub;
  private PostgresAdapters adapters;
  private DatabaseConfig db;
  private AdminService admin;
  private GatewayServer server;
  private String teamId;
  private String apiKey;

  @BeforeAll
  void start() throws Exception {
    stub = BedrockStub.start();
    db = PostgresFixture.freshDatabase();
    adapters = PostgresAdapters.start(db);
    admin = new AdminService(adapters.stores(), Clock.systemUTC(), java.time.ZoneOffset.UTC);
    StartupConfigSync.apply(
        admin,
        java.nio.file.Path.of("..", "config", "models.yaml"),
        java.nio.file.Path.of("..", "config", "tiers.yaml"));
    server =
        GatewayServer.builder(ServerConfig.forTests().toBuilder().masterKey(MASTER_KEY).build())
            .stores(adapters.stores())
            .provider(Providers.bedrock(stub.settings()))
            .clock(Clock.systemUTC())
            .readiness(adapters::isHealthy)
            .routes(
                UiRoutes.factory(
                    UiSettings.of(new UiSettings.Admin(UiStack.USER, UiStack.HASH)),
                    adapters.sessionStore()))
            .start();
    seed();
    signIn();
  }

  /** 215 users (one with a long email), a team with a long name, spend for three users. */
  private void seed() throws Exception {
    teamId = admin.createTeam(Principal.MASTER, TeamSpec.named("lists-" + LONG)).id();
    for (int i = 0; i < USERS; i++) {
      String id = String.format("user-%03d", i);
      String email = i == 7 ? LONG + "@example.com" : id + "@example.com";
      admin.createUser(
          Principal.MASTER,
          new UserSpec(
              Optional.of(id),
              Optional.of(email),
              Optional.empty(),
              Optional.of(teamId),
              io.llmgateway.core.identity.UserRole.INTERNAL_USER,
              List.of(),
              List.of(),
              io.llmgateway.core.identity.RateLimits.NONE,
              java.util.Map.of()));
    }
    apiKey =
        admin
            .generateKey(
                Principal.MASTER,
                KeySpec.forUser("user-000").toBuilder().teamId(teamId).alias(LONG).build())
            .plaintext();
    spend("user-150", 9_000_000);
    spend("user-042", 5_000_000);
    spend("user-199", 1_000_000);
  }

  private void spend(String user, long nanos) throws Exception {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO spend_log (request_id, key_id, user_id, team_id, model, cost_nanos,"
                    + " status, latency_ms, started_at, ended_at) VALUES (?, 'key_seed', ?, ?,"
                    + " 'model-cheap', ?, 'SUCCESS', 5, ?, ?)")) {
      Timestamp now = Timestamp.from(Instant.now());
      ps.setString(1, "seed-" + user);
      ps.setString(2, user);
      ps.setString(3, teamId);
      ps.setLong(4, nanos);
      ps.setTimestamp(5, now);
      ps.setTimestamp(6, now);
      ps.executeUpdate();
    }
  }

  private Connection connect() throws Exception {
    return DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
  }

  @AfterAll
  void stop() {
    if (server != null) {
      server.close();
    }
    if (adapters != null) {
      adapters.close();
    }
    if (stub != null) {
      stub.close();
    }
  }

  @Override
  protected String baseUrl() {
    return server.baseUrl();
  }

  private OpenAIClient client() {
    return OpenAIOkHttpClient.builder()
        .apiKey(apiKey)
        .baseUrl(server.baseUrl() + "/v1")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  private ChatCompletion chat(String model) {
    return client()
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model(model)
                .addUserMessage("price check for the lists test")
                .maxCompletionTokens(20)
                .build());
  }

  @Test
  @Order(1)
  void addsAModelEditsItsPriceIsChargedAtTheNewPriceAndDeletesIt() throws Exception {
    String name = "model-ui-lists";
    open("/ui/models");
    // A model without a built-in price and without prices is refused, as by /model/new; the
    // form comes back with the message and what was typed.
    type("#new-model #model-name", name);
    type("#new-model #model-provider-id", "acme.unknown-model-v1");
    submit("#create-model");
    assertThat(text(".error")).contains("no price for 'acme.unknown-model-v1'");
    assertThat(el("#new-model #model-name").getAttribute("value")).isEqualTo(name);
    Browser.screenshot(browser, "lists-01-model-refused");

    type("#new-model #model-provider-id", "us.amazon.nova-micro-v1:0");
    type("#new-model #model-region", "us-east-1");
    type("#new-model #model-input-price", "1.00");
    type("#new-model #model-output-price", "2.00");
    el("#create-model").click();
    wait.until(ExpectedConditions.urlContains("/ui/model?id=" + name));
    assertThat(text(".notice")).contains("Model added.");
    assertThat(el("#model-input-price").getAttribute("value")).isEqualTo("1");

    type("#model-input-price", "3.00");
    type("#model-output-price", "6.00");
    el("#save-model").click();
    wait.until(ExpectedConditions.urlContains("notice=model-saved"));
    assertThat(el("#model-output-price").getAttribute("value")).isEqualTo("6");
    Browser.screenshot(browser, "lists-02-model-edited");

    ChatCompletion answer = chat(name);
    long in = answer.usage().orElseThrow().promptTokens();
    long out = answer.usage().orElseThrow().completionTokens();
    assertThat(in).isPositive();
    // $3 and $6 per million tokens: 3000 and 6000 nano-USD per token.
    long expected = in * 3_000 + out * 6_000;
    open("/ui/spend?model=" + name);
    String cost = el("#spend tbody tr td:nth-child(11)").getText();
    assertThat(cost).isEqualTo(Fmt.usd(io.llmgateway.core.money.Money.ofNanos(expected)));
    assertThat(costInDatabase(name)).isEqualTo(expected);
    Browser.screenshot(browser, "lists-03-spend-at-new-price");

    open("/ui/model?id=" + name);
    el("#delete-model").click();
    browser.switchTo().alert().accept();
    wait.until(ExpectedConditions.urlContains("notice=model-deleted"));
    assertThat(browser.findElements(By.linkText(name))).isEmpty();
    assertThatThrownBy(() -> chat(name)).hasMessageContaining(name);
  }

  private long costInDatabase(String model) throws Exception {
    try (Connection c = connect();
        PreparedStatement ps =
            c.prepareStatement("SELECT sum(cost_nanos) FROM spend_log WHERE model = ?")) {
      ps.setString(1, model);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Test
  @Order(2)
  void findsOneOf215UsersByEmailOnTheServer() throws Exception {
    open("/ui/users");
    assertThat(text(".pager")).contains("(" + USERS + " users)");
    type("input[name=q]", "USER-137@example");
    el("form.filters button[type=submit]").click();
    wait.until(ExpectedConditions.urlContains("q="));
    List<WebElement> rows = browser.findElements(By.cssSelector("#users tbody tr"));
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).getText()).contains("user-137@example.com").contains("internal_user");
    assertThat(text(".pager")).contains("(1 users)");
    Browser.screenshot(browser, "lists-04-users-search");
  }

  @Test
  @Order(3)
  void sortsUsersBySpendOnTheServerAndKeepsTheSortAcrossPages() throws Exception {
    open("/ui/users?team=" + Fmt.q(teamId));
    browser.findElement(By.linkText("This month")).click();
    wait.until(ExpectedConditions.urlContains("sort=spend"));
    assertThat(firstColumn()).startsWith("user-150", "user-042", "user-199");
    assertThat(el("th[aria-sort]").getText()).contains("This month");
    assertThat(el("th[aria-sort]").getAttribute("aria-sort")).isEqualTo("descending");
    Browser.screenshot(browser, "lists-05-users-by-spend");

    // The pager keeps team, sort and direction; the last page holds the spenders when ascending.
    browser.findElement(By.partialLinkText("This month")).click();
    wait.until(ExpectedConditions.urlContains("dir=asc"));
    WebElement next = browser.findElement(By.partialLinkText("Next"));
    assertThat(next.getAttribute("href"))
        .contains("sort=spend")
        .contains("dir=asc")
        .contains("team=");
    open("/ui/users?team=" + Fmt.q(teamId) + "&sort=spend&dir=asc&page=5");
    List<String> last = firstColumn();
    assertThat(last.subList(last.size() - 3, last.size()))
        .containsExactly("user-199", "user-042", "user-150");
  }

  private List<String> firstColumn() {
    List<String> ids = new ArrayList<>();
    for (WebElement td : browser.findElements(By.cssSelector("#users tbody tr td:first-child"))) {
      ids.add(td.getText());
    }
    return ids;
  }

  @Test
  @Order(4)
  void everyPageFits1280PixelsWithLongNames() throws Exception {
    browser.manage().window().setSize(new Dimension(1280, 800));
    List<String> pages =
        List.of(
            "/ui/overview",
            "/ui/teams",
            "/ui/team?id=" + Fmt.q(teamId),
            "/ui/users",
            "/ui/keys",
            "/ui/models",
            "/ui/model?id=nova-micro-us-east-1",
            "/ui/spend",
            "/ui/audit");
    List<String> overflowing = new ArrayList<>();
    for (String page : pages) {
      open(page);
      wait.until(d -> "complete".equals(browser.executeScript("return document.readyState;")));
      long width = (Long) browser.executeScript("return document.documentElement.scrollWidth;");
      if (width > 1280) {
        overflowing.add(page + " is " + width + " px wide");
      }
      Browser.screenshot(
          browser, "lists-1280" + page.replace("/ui", "").replaceAll("[^a-z]+", "-"));
    }
    assertThat(overflowing).isEmpty();
  }
}

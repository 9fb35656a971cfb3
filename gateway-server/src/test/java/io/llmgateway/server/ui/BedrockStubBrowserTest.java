package io.llmgateway.server.ui;

import com.openai.client.OpenAIClient;
import io.llmgateway.bedrock.Providers;
import io.llmgateway.bedrock.stub.BedrockStub;
import io.llmgateway.core.PageRequest;
import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.IssuedKey;
import io.llmgateway.core.admin.KeySpec;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import io.llmgateway.core.spend.SpendQuery;
import io.llmgateway.core.spend.SpendRecord;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the Usage and Playground browser tests share: a gateway whose models are served by the
 * Bedrock adapter against the wire-format {@link BedrockStub}, over real PostgreSQL, with the team
 * {@code drafting} given daily and monthly budgets and four keys (alice's, carol's over budget and
 * dave's, to be pasted, in drafting; bob's in coding); the SDK client, the spend log's rows and the
 * page-width check they assert with.
 */
abstract class BedrockStubBrowserTest extends StackBrowserTest {
  BedrockStub stub;
  AdminService admin;
  IssuedKey alice;
  IssuedKey bob;
  IssuedKey broke;
  IssuedKey pasted;
  String drafting;

  @Override
  protected final UiStack newStack() {
    stub = BedrockStub.start();
    return UiStack.startWith(List.of(Providers.bedrock(stub.settings())));
  }

  @BeforeAll
  final void seed() throws Exception {
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
  final void stopStub() {
    if (stub != null) {
      stub.close();
    }
  }

  final OpenAIClient client(String key) {
    return com.openai.client.okhttp.OpenAIOkHttpClient.builder()
        .apiKey(key)
        .baseUrl(stack.baseUrl() + "/v1")
        .maxRetries(0)
        .timeout(Duration.ofSeconds(30))
        .build();
  }

  final List<SpendRecord> spendOf(Optional<String> team, Optional<String> key) {
    return admin
        .spendLogs(
            Principal.MASTER,
            SpendQuery.builder(PageRequest.first(1000))
                .keyId(key)
                .teamId(team)
                .from(Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(23)))
                .build())
        .items();
  }

  static BigDecimal usd(List<SpendRecord> rows) {
    return rows.stream().map(SpendRecord::cost).reduce(Money.ZERO, Money::plus).toUsd();
  }

  static BigDecimal sumJson(Object ys) {
    BigDecimal sum = BigDecimal.ZERO;
    for (Object y : (List<?>) ys) {
      sum = sum.add(new BigDecimal(y.toString()));
    }
    return sum;
  }

  final long scrollWidthAt1280() {
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
}

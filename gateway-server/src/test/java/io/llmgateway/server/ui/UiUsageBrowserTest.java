package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.llmgateway.core.spend.SpendRecord;
import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * Usage in a real headless Chromium ({@link BedrockStubBrowserTest}): real requests first (the
 * official OpenAI SDK, blocking and streamed); then Usage for the last 24 h and one team must show
 * the spend log's numbers in its chart data, table and CSV, and the team's budget windows; broken
 * down by key, keys show by alias.
 */
class UiUsageBrowserTest extends BedrockStubBrowserTest {
  @Test
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
}

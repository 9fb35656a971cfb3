package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.admin.AdminService;
import io.llmgateway.core.admin.UserSpec;
import io.llmgateway.core.budget.BudgetLimit;
import io.llmgateway.core.identity.Grant;
import io.llmgateway.core.identity.Principal;
import io.llmgateway.core.money.Money;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * a proxy admin edits a user's alert thresholds and soft budget on the user page in Chromium
 * (1280x800): a bad fraction is shown beside its input and nothing is stored; a good one is stored,
 * audited, shown again in the form, and the budget table shows the projection beside each budget.
 * Before, the page had no such inputs.
 */
@ExtendWith(Browser.Available.class)
class UiAlertThresholdsBrowserTest {

  @Test
  void anAdminSetsAUsersThresholdsOnTheUserPage() throws Exception {
    Browser.requireBrowser();
    try (UiStack stack =
        UiStack.start(
            UiSettings.of(new UiSettings.Admin(UiStack.USER, UiStack.HASH)).toBuilder()
                .oidc(UiStack.unusedSso())
                .build())) {
      AdminService admin = stack.server().gateway().admin();
      admin.createUser(
          Principal.MASTER,
          UserSpec.member("ada-thresholds", "drafting").toBuilder()
              .budgets(List.of(BudgetLimit.daily(Money.ofUsd("2"))))
              .build());
      ChromeDriver browser = Browser.start();
      try {
        browser.manage().window().setSize(new Dimension(1280, 800));
        stack.signIn(browser, "root@example.com", new Grant.ProxyAdmin());
        browser.get(stack.baseUrl() + "/ui/user?id=ada-thresholds");
        assertThat(browser.findElement(By.id("user-budgets")).getText()).contains("Projected");

        type(browser, "f-alert_thresholds", "0.5, 1.5");
        browser.findElement(By.id("save-user")).click();
        assertThat(browser.findElement(By.id("err-alert_thresholds")).getText())
            .contains("at most 1");
        assertThat(stored(stack)).as("nothing stored").isNull();

        type(browser, "f-alert_thresholds", "0.5, 0.8");
        type(browser, "f-soft_budget", "1.25");
        browser.findElement(By.id("save-user")).click();
        assertThat(browser.getCurrentUrl()).contains("notice=user-saved");
        assertThat(stored(stack)).isEqualTo("{5000,8000}|1250000000");
        assertThat(browser.findElement(By.id("f-alert_thresholds")).getDomAttribute("value"))
            .isEqualTo("0.5, 0.8");
        assertThat(browser.findElement(By.id("f-soft_budget")).getDomAttribute("value"))
            .isEqualTo("1.25");
        assertThat(
                stack.sqlString(
                    "SELECT actor FROM audit_log WHERE action = 'alert_thresholds.update'"
                        + " AND target_id = 'ada-thresholds'"))
            .as("the operator, named as on the user's own change")
            .isEqualTo(
                stack.sqlString(
                    "SELECT actor FROM audit_log WHERE action = 'user.update'"
                        + " AND target_id = 'ada-thresholds' ORDER BY at DESC LIMIT 1"))
            .contains("root@example.com");
        long width =
            ((Number) browser.executeScript("return document.documentElement.scrollWidth"))
                .longValue();
        Browser.screenshot(browser, "user-alert-thresholds-1280");
        assertThat(width).as("page width at 1280 px").isLessThanOrEqualTo(1280);
      } finally {
        browser.quit();
      }
    }
  }

  private static String stored(UiStack stack) {
    return stack.sqlString(
        "SELECT fractions_bp::text || '|' || coalesce(soft_monthly_nanos::text, '')"
            + " FROM alert_thresholds WHERE scope_kind = 'USER' AND scope_id = 'ada-thresholds'");
  }

  private static void type(ChromeDriver browser, String id, String text) {
    WebElement e = browser.findElement(By.id(id));
    e.clear();
    e.sendKeys(text);
  }
}

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
import org.openqa.selenium.Dimension;

/**
 * a proxy admin edits a user's alert thresholds and soft budget on the user page in Chromium
 * (1280x800): a bad fraction is shown beside its input and nothing is stored; a good one is stored,
 * audited, shown again in the form, and the budget table shows the projection beside each budget.
 * Before, the page had no such inputs.
 */
class UiAlertThresholdsBrowserTest extends StackBrowserTest {

  @Override
  protected UiStack newStack() {
    return UiStack.startWithSessions();
  }

  @Test
  void anAdminSetsAUsersThresholdsOnTheUserPage() throws Exception {
    AdminService admin = stack.server().gateway().admin();
    admin.createUser(
        Principal.MASTER,
        UserSpec.member("ada-thresholds", "drafting").toBuilder()
            .budgets(List.of(BudgetLimit.daily(Money.ofUsd("2"))))
            .build());
    browser.manage().window().setSize(new Dimension(1280, 800));
    stack.signIn(browser, "root@example.com", new Grant.ProxyAdmin());
    open("/ui/user?id=ada-thresholds");
    assertThat(text("#user-budgets")).contains("Projected");

    type("#f-alert_thresholds", "0.5, 1.5");
    submit("#save-user");
    assertThat(text("#err-alert_thresholds")).contains("at most 1");
    assertThat(stored()).as("nothing stored").isNull();

    type("#f-alert_thresholds", "0.5, 0.8");
    type("#f-soft_budget", "1.25");
    submit("#save-user");
    assertThat(browser.getCurrentUrl()).contains("notice=user-saved");
    assertThat(stored()).isEqualTo("{5000,8000}|1250000000");
    assertThat(el("#f-alert_thresholds").getDomAttribute("value")).isEqualTo("0.5, 0.8");
    assertThat(el("#f-soft_budget").getDomAttribute("value")).isEqualTo("1.25");
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
    Browser.screenshot(browser, "user-alert-thresholds-1280");
    fitsIn1280();
  }

  private String stored() {
    return stack.sqlString(
        "SELECT fractions_bp::text || '|' || coalesce(soft_monthly_nanos::text, '')"
            + " FROM alert_thresholds WHERE scope_kind = 'USER' AND scope_id = 'ada-thresholds'");
  }
}

package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmgateway.core.identity.Grant;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;

/**
 * s8-alerts: the alerts page in Chromium at 1280x800 with a failed alert whose scope id and error
 * are as long as the schema allows: it shows the failure and fits without horizontal overflow.
 */
class UiAlertsBrowserTest extends StackBrowserTest {

  @Override
  protected UiStack newStack() {
    return UiStack.startWithSessions();
  }

  @Test
  void aFailedAlertIsVisibleAndThePageFits1280Pixels() throws Exception {
    stack.sql(
        "INSERT INTO alert_outbox (scope_kind, scope_id, time_window, period, threshold_kind,"
            + " threshold_value, committed_nanos, limit_nanos, resets_at, state, attempts,"
            + " last_error, finished_at) VALUES ('KEY', ?, 'MONTHLY', '2026-11@UTC', 'fraction',"
            + " 9000, 450000000, 500000000, now() + interval '1 day', 'failed', 20, ?, now())",
        "k".repeat(256),
        "webhook: HTTP 500 " + "x".repeat(490));
    browser.manage().window().setSize(new Dimension(1280, 800));
    stack.signIn(browser, "viewer@example.com", new Grant.Viewer());
    open("/ui/alerts");
    assertThat(text("#alerts")).contains("failed").contains("webhook: HTTP 500").contains("90 %");
    Browser.screenshot(browser, "alerts-1280-failed");
    fitsIn1280();
  }
}

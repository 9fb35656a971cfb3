package io.llmgateway.server.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the Chromium tests of the UI share: one headless browser for the test class, started before
 * the subclass's {@code @BeforeAll} (so it may sign in there) and quit after its {@code @AfterAll};
 * a 20-second wait; and the page helpers. Without a browser the class is skipped, except under
 * {@code CI=true}, where it fails ({@link Browser}).
 */
@ExtendWith(Browser.Available.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class BrowserTest {
  protected ChromeDriver browser;
  protected WebDriverWait wait;

  /** The gateway's address, which {@link #open} paths are relative to. */
  protected abstract String baseUrl();

  @BeforeAll
  final void startBrowser() throws IOException {
    Browser.requireBrowser();
    browser = Browser.start();
    wait = new WebDriverWait(browser, Duration.ofSeconds(20));
  }

  @AfterAll
  final void quitBrowser() {
    if (browser != null) {
      browser.quit();
    }
  }

  protected final void open(String path) {
    browser.get(baseUrl() + path);
  }

  /** The element {@code css} selects, once it is in the page. */
  protected final WebElement el(String css) {
    return wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(css)));
  }

  /**
   * Clicks {@code css}, a button that submits a form, and waits until the answer has replaced the
   * page: an element on both pages (an error beside a field) is then read from the new one.
   */
  protected final void submit(String css) {
    WebElement page = browser.findElement(By.tagName("html"));
    el(css).click();
    wait.until(d -> replaced(page));
  }

  /**
   * Whether {@code page} (the old document's root) is gone. Caught mid-navigation, Chrome reports
   * the old node not as stale but as "Node with given id does not belong to the document" (a {@link
   * WebDriverException}; CI at 7340b65 failed on it): gone as well.
   */
  private static boolean replaced(WebElement page) {
    try {
      page.isEnabled();
      return false;
    } catch (StaleElementReferenceException e) {
      return true;
    } catch (WebDriverException e) {
      String message = e.getMessage();
      if (message != null && message.contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  protected final void type(String css, String text) {
    WebElement e = el(css);
    e.clear();
    e.sendKeys(text);
  }

  protected final String text(String css) {
    return el(css).getText();
  }

  protected final String value(String css) {
    return el(css).getDomProperty("value");
  }

  /** Fills the sign-in form as the operator of {@link UiStack} with {@code password}; no wait. */
  protected final void submitSignIn(String password) {
    open("/ui/login");
    type("#username", UiStack.USER);
    type("#password", password);
    submit("#signin");
  }

  /** Signs in as the operator of {@link UiStack} and waits for the overview. */
  protected final void signIn() {
    submitSignIn(UiStack.PASSWORD);
    wait.until(ExpectedConditions.urlContains("/ui/overview"));
  }

  /** Asserts the current page needs no horizontal scrolling at 1280 x 800; restores the size. */
  protected final void fitsIn1280() {
    Dimension before = browser.manage().window().getSize();
    browser.manage().window().setSize(new Dimension(1280, 800));
    Object width = browser.executeScript("return document.documentElement.scrollWidth");
    assertThat(((Number) width).intValue()).as(browser.getCurrentUrl()).isLessThanOrEqualTo(1280);
    browser.manage().window().setSize(before);
  }
}

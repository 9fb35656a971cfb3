package io.llmgateway.server.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Headless Chromium from the system (Debian's {@code chromium} and {@code chromium-driver}), never
 * a downloaded one: the binary and the driver are given explicitly, so Selenium Manager is not
 * consulted. Paths can be overridden with {@code UI_TEST_CHROME} and {@code UI_TEST_CHROMEDRIVER}.
 * Without a browser the tests are skipped with a message, except under {@code CI=true}, where a
 * missing browser fails them.
 */
final class Browser {
  static final Path SCREENSHOTS = Path.of("target", "ui-screenshots");

  private Browser() {}

  static Path chrome() {
    return Path.of(env("UI_TEST_CHROME", "/usr/bin/chromium"));
  }

  static Path driver() {
    return Path.of(env("UI_TEST_CHROMEDRIVER", "/usr/bin/chromedriver"));
  }

  static boolean present() {
    return Files.isExecutable(chrome()) && Files.isExecutable(driver());
  }

  static boolean ci() {
    return "true".equalsIgnoreCase(System.getenv("CI"));
  }

  static String missing() {
    return "no headless browser: "
        + chrome()
        + " and "
        + driver()
        + " must exist (apt-get install chromium chromium-driver, or set UI_TEST_CHROME and"
        + " UI_TEST_CHROMEDRIVER)";
  }

  /** Fails (CI) or skips when there is no browser; call before starting one. */
  static void requireBrowser() {
    if (present()) {
      return;
    }
    if (ci()) {
      Assertions.fail("CI=true but " + missing());
    }
    Assumptions.abort("UI browser tests skipped: " + missing());
  }

  /**
   * Disables a browser test class, with the reason in the test report and on stderr, when there is
   * no browser and {@code CI} is not {@code true} (under CI the class runs and fails instead).
   */
  static final class Available implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (present() || ci()) {
        return ConditionEvaluationResult.enabled("browser present, or CI=true");
      }
      String reason = "UI browser tests skipped: " + missing();
      System.err.println(reason);
      return ConditionEvaluationResult.disabled(reason);
    }
  }

  static ChromeDriver start() throws IOException {
    System.setProperty("webdriver.chrome.driver", driver().toString());
    Path profile = Files.createTempDirectory("ui-test-chrome");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chrome().toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--password-store=basic",
        "--window-size=1440,1100",
        "--user-data-dir=" + profile.toAbsolutePath());
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(driver().toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(60))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    return driver;
  }

  /** Saves what the browser shows as {@code target/ui-screenshots/<name>.png}. */
  static void screenshot(ChromeDriver driver, String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
    Files.copy(
        shot.toPath(), SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static String env(String name, String dflt) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? dflt : v;
  }
}

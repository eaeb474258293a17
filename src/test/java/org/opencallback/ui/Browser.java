package org.opencallback.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through its chromedriver (never a downloaded browser). Tests
 * that need it call {@link #assumeInstalled()} first: without chromium and chromedriver they are
 * skipped with a message saying what to install.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of(System.getProperty("ui.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("ui.chromedriver", "/usr/bin/chromedriver"));
  /** Where screenshots go: {@code -Dui.screenshots=docs/ui} refreshes the README's. */
  static final Path SHOTS = Path.of(System.getProperty("ui.screenshots", "target/ui-screenshots"));
  private static final Duration WAIT = Duration.ofSeconds(15);

  final ChromeDriver driver;
  final Path downloads;
  private final Path profile;

  private Browser(ChromeDriver driver, Path downloads, Path profile) {
    this.driver = driver;
    this.downloads = downloads;
    this.profile = profile;
  }

  static final String MISSING = "Browser tests skipped: " + CHROMIUM + " and " + CHROMEDRIVER + " are needed"
      + " (Debian: apt-get install chromium chromium-driver; .ci/run installs them)";

  static boolean installed() {
    return Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
  }

  static void assumeInstalled() {
    Assumptions.assumeTrue(installed(), MISSING);
  }

  static Browser start() {
    try {
      Path profile = Files.createTempDirectory("opencallback-chromium-");
      Path downloads = Files.createTempDirectory("opencallback-downloads-");
      ChromeOptions options = new ChromeOptions();
      options.setBinary(CHROMIUM.toFile());
      options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-dev-shm-usage", "--user-data-dir=" + profile, "--window-size=1280,900", "--lang=en-US");
      options.setExperimentalOption("prefs", Map.of(
          "download.default_directory", downloads.toString(),
          "download.prompt_for_download", false,
          "intl.accept_languages", "en-US"));
      // the page's console, read by consoleErrors()
      options.setCapability("goog:loggingPrefs", Map.of("browser", "ALL"));
      ChromeDriverService service = new ChromeDriverService.Builder()
          .usingDriverExecutable(CHROMEDRIVER.toFile())
          .usingAnyFreePort()
          .build();
      return new Browser(new ChromeDriver(service, options), downloads, profile);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Opens the view, which sends a browser without a session to the login page, and logs in there as
   * a user would: user name, password, the button; back on the view afterwards.
   */
  void login(String base, String user, String password, String hash) {
    driver.get(base + "/ui/#/" + hash);
    find(By.id("username")).sendKeys(user);
    find(By.id("password")).sendKeys(password);
    find(By.id("login-submit")).click();
    until(d -> d.getCurrentUrl().contains("/ui/#/" + hash) ? true : null);
    find(By.cssSelector("main h1"));
  }

  /** Goes to another view without reloading the page. */
  void go(String hash) {
    ((JavascriptExecutor) driver).executeScript("location.hash = arguments[0]", "#/" + hash);
  }

  <T> T until(ExpectedCondition<T> condition) {
    return new WebDriverWait(driver, WAIT).until(condition);
  }

  WebElement find(By by) {
    return until(d -> {
      List<WebElement> found = d.findElements(by);
      return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
    });
  }

  /** Waits until the element holds the text. */
  WebElement text(By by, String text) {
    return until(d -> {
      List<WebElement> found = d.findElements(by);
      return !found.isEmpty() && found.get(0).getText().contains(text) ? found.get(0) : null;
    });
  }

  /**
   * The console errors the pages logged since the last call (an invalid {@code pattern} attribute is
   * reported there too), e.g. {@code SEVERE http://…/ui/js/agent.js 17:3 …}.
   */
  List<String> consoleErrors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue()
            || entry.getMessage().contains("not a valid regular expression"))
        .map(entry -> entry.getLevel() + " " + entry.getMessage())
        .toList();
  }

  void resize(int width, int height) {
    driver.manage().window().setSize(new Dimension(width, height));
  }

  /** A screenshot of the whole page (its full height, at most 4000 pixels) as SHOTS/name.png. */
  @SuppressWarnings("unchecked")
  void shot(String name) {
    try {
      Files.createDirectories(SHOTS);
      Map<String, Object> layout = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
      Map<String, Object> content = (Map<String, Object>) layout.get("cssContentSize");
      Map<String, Object> viewport = (Map<String, Object>) layout.get("cssLayoutViewport");
      double width = ((Number) viewport.get("clientWidth")).doubleValue();
      double height = Math.min(4000, ((Number) content.get("height")).doubleValue());
      Map<String, Object> image = driver.executeCdpCommand("Page.captureScreenshot", Map.of(
          "format", "png", "captureBeyondViewport", true,
          "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
      Files.write(SHOTS.resolve(name + ".png"), java.util.Base64.getDecoder().decode((String) image.get("data")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits for a finished download of that name and answers its text. */
  String downloaded(String name) {
    Path file = downloads.resolve(name);
    until(d -> Files.isRegularFile(file) && !Files.exists(downloads.resolve(name + ".crdownload")) ? file : null);
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      delete(profile);
      delete(downloads);
    }
  }

  private static void delete(Path dir) {
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // a temporary folder left behind
    }
  }
}

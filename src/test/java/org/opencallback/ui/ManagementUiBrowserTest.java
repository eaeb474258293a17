package org.opencallback.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.opencallback.testing.TestServer;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The management UI in a real browser against the real server: log in, dashboard, filter, detail,
 * bulk cancel, exports, availability and booking a slot, the agent console with a preview and a
 * disposition, the configuration view. Saves a screenshot of each page (see {@link Browser#SHOTS}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ManagementUiBrowserTest {
  private static final String USER = "supervisor";
  private static final String PASSWORD = "ui-test-password";
  private static final String CALLBACKS = "/genesys/1/service/callback/";

  private static TestServer server;
  private static Browser browser;
  private static final List<String> queued = new ArrayList<>();
  private static String prefix;

  @BeforeAll
  static void start() {
    if (!Browser.installed()) {
      System.err.println(Browser.MISSING);
      return;
    }
    server = TestServer.start(String.join("\n",
        "callback:",
        "  returned-keys: _desired_time,_callback_state,_callback_reason",
        "service.Sales:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "  _business_hours_service: Hours",
        "service.Support:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "  _webhook_secret: do-not-show",
        "service.Preview:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "  _agent_preview: true",
        "  _agent_preview_allow_reject: 1",
        "  _agent_preview_data: order",
        "  _enable_disposition_dialog: true",
        "service.Hours:",
        "  _type: builtin",
        "  _service: office-hours",
        "  _timezone: Europe/Paris",
        "  _bh_regular1: Mon-Fri 07:00-19:00",
        "  _bh_regular2: Sat,Sun 09:00-12:00",
        "engine:",
        "  agents: 0",
        "  ring_time: 10ms",
        "  talk_time: 1s",
        "users:",
        "  " + USER + ": '" + BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray()) + "'",
        ""));
    prefix = "+1555" + (100 + (int) (Math.random() * 800));
    for (int i = 0; i < 3; i++) {
      queued.add(start("Support", Map.of("_customer_number", prefix + "000" + i, "order", "Q-" + i)));
    }
    for (int i = 0; i < 2; i++) {
      start("Support", Map.of("_customer_number", prefix + "100" + i,
          "_desired_time", Instant.now().plus(Duration.ofHours(20 + i)).truncatedTo(ChronoUnit.MINUTES).toString()));
    }
    // a refused request, for the dashboard's rejections by code (when the server counts them)
    assertThat(server.postJson(CALLBACKS + "Support", Map.of("order", "no number")).status()).isEqualTo(400);
    browser = Browser.start();
    browser.login(server.base(), USER, PASSWORD, "dashboard");
  }

  @BeforeEach
  void needsTheBrowser() {
    Browser.assumeInstalled();
  }

  @AfterEach
  void noPageLoggedAConsoleError() {
    if (browser != null) {
      // Chrome also logs every 401 answer as "Failed to load resource": after logging out, the login
      // page asks who is logged in and is told 401, which it handles. Those are HTTP answers, not
      // script errors; anything else (an invalid pattern, an exception) fails the test.
      assertThat(browser.consoleErrors())
          .filteredOn(line -> !line.contains("the server responded with a status of 401"))
          .as("console errors of the pages this test opened").isEmpty();
    }
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void the_dashboard_shows_each_service_with_its_counts_and_chart() {
    WebElement support = browser.find(By.cssSelector("section[aria-labelledby='svc-Support']"));
    browser.until(d -> support.findElement(By.cssSelector("dd[data-state='QUEUED']")).getText().equals("3"));
    assertThat(support.findElement(By.cssSelector("dd[data-state='SCHEDULED']")).getText()).isEqualTo("2");
    assertThat(support.findElement(By.cssSelector("svg.chart")).getAttribute("aria-label")).contains("5 accepted");
    assertThat(browser.driver.findElements(By.cssSelector("section.card h2")).stream().map(WebElement::getText))
        .anySatisfy(title -> assertThat(title).startsWith("Sales").contains("SIMULATED"))
        .anySatisfy(title -> assertThat(title).startsWith("Support"))
        .anySatisfy(title -> assertThat(title).startsWith("Preview"));
    // the console check below can fail: a page's console error is seen
    ((org.openqa.selenium.JavascriptExecutor) browser.driver).executeScript("console.error('probe-17')");
    assertThat(browser.consoleErrors()).anySatisfy(line -> assertThat(line).contains("probe-17"));
    // the lateness timer is exposed from the start; only scheduled dispatches are measured
    browser.text(By.tagName("main"), "Dispatch lateness: no dispatches yet.");
    browser.shot("dashboard");
  }

  @Test
  @Order(2)
  void callbacks_are_filtered_shown_in_detail_cancelled_in_bulk_and_exported() {
    browser.go("callbacks");
    new Select(browser.find(By.name("service"))).selectByValue("Support");
    new Select(browser.find(By.name("state"))).selectByValue("QUEUED");
    browser.find(By.name("customer")).sendKeys(prefix.substring(1));
    browser.find(By.xpath("//button[normalize-space()='Search']")).click();
    browser.text(By.id("result-summary"), "3 callbacks");
    assertThat(browser.driver.findElements(By.cssSelector("tbody tr")).stream().map(row -> row.getAttribute("data-id")))
        .containsExactlyInAnyOrderElementsOf(queued);
    browser.shot("callbacks");

    browser.find(By.cssSelector("tbody tr[data-id='" + queued.get(0) + "'] button.link")).click();
    browser.find(By.cssSelector("#detail-history li"));
    assertThat(browser.find(By.id("detail-properties")).getText()).contains("order").contains("Q-0").contains(queued.get(0));
    browser.shot("callback-detail");
    browser.find(By.xpath("//dialog//button[normalize-space()='Close']")).click();

    for (String id : queued.subList(0, 2)) {
      browser.find(By.cssSelector("input[data-id='" + id + "']")).click();
    }
    browser.find(By.xpath("//button[starts-with(normalize-space(), 'Cancel selected (2)')]")).click();
    browser.until(ExpectedConditions.alertIsPresent()).accept();
    browser.find(By.id("cancel-outcome"));
    for (String id : queued.subList(0, 2)) {
      Map<String, Object> callback = get("Support", id);
      assertThat(callback.get("_callback_state")).isEqualTo("COMPLETED");
      assertThat(String.valueOf(callback.get("_callback_reason"))).startsWith("CANCELLED");
    }
    browser.text(By.id("result-summary"), "1 callback,");

    browser.find(By.xpath("//button[normalize-space()='Export filtered (CSV)']")).click();
    String csv = browser.downloaded("callbacks.csv");
    assertThat(csv.split("\r\n")).hasSize(2);
    assertThat(csv).startsWith("_id,_service_name,_callback_state").contains(queued.get(2)).contains("Q-2");

    browser.find(By.xpath("//button[normalize-space()='Export cancelled (CSV)']")).click();
    String outcome = browser.until(d -> {
      String text = d.findElement(By.cssSelector("main")).getText();
      return text.contains("report.csv") || text.contains("admin API not available") || text.contains("No callback cancelled")
          ? text : null;
    });
    if (outcome.contains("exported to report.csv")) {
      assertThat(browser.downloaded("report.csv")).contains(prefix.substring(1) + "0000");
    }
  }

  @Test
  @Order(3)
  void a_week_of_availability_is_shown_and_a_slot_is_booked_from_it() {
    browser.go("availability?service=Sales&zone=Europe%2FParis");
    browser.find(By.cssSelector("table.week"));
    assertThat(browser.driver.findElements(By.cssSelector("table.week td.closed"))).isNotEmpty();
    List<WebElement> open = browser.driver.findElements(By.cssSelector("table.week td.free button"));
    assertThat(open).isNotEmpty();
    assertThat(open.get(0).getText()).matches("\\d+ / \\d+");
    WebElement last = open.get(open.size() - 1);
    last.click();
    WebElement book = browser.find(By.cssSelector("section a.button"));
    browser.shot("availability");
    book.click();

    browser.text(By.tagName("h1"), "Test panel");
    WebElement slot = browser.find(By.name("slot"));
    browser.until(d -> !new Select(slot).getFirstSelectedOption().getAttribute("value").isEmpty());
    assertThat(browser.find(By.cssSelector("input[name='when'][value='slot']")).isSelected()).isTrue();
    browser.find(By.xpath("//button[normalize-space()='Create callback']")).click();
    String id = browser.find(By.id("test-id")).getText();
    browser.text(By.id("test-state"), "SCHEDULED");
    browser.find(By.cssSelector("#test-history li"));
    browser.shot("test-panel");
    assertThat(get("Sales", id).get("_callback_state")).isEqualTo("SCHEDULED");
  }

  @Test
  @Order(4)
  void an_agent_logs_in_accepts_a_preview_and_sends_a_disposition() {
    browser.go("agent");
    WebElement agentId = browser.find(By.name("agent"));
    agentId.clear();
    agentId.sendKeys("alice");
    browser.find(By.cssSelector("input[name='services'][value='Preview']")).click();
    browser.find(By.xpath("//button[normalize-space()='Log in']")).click();
    browser.text(By.id("agent-state"), "NOT_READY");
    browser.find(By.xpath("//button[normalize-space()='Ready']")).click();
    browser.until(d -> "READY".equals(d.findElement(By.id("agent-state")).getAttribute("data-state")));

    String id = start("Preview", Map.of("_customer_number", prefix + "2000", "order", "A-1001"));
    WebElement accept = browser.find(By.id("preview-accept"));
    assertThat(browser.find(By.id("preview-number")).getText()).isEqualTo(prefix + "2000");
    assertThat(browser.find(By.id("agent-work")).getText()).contains("A-1001");
    browser.shot("agent-preview");
    accept.click();

    WebElement code = browser.find(By.cssSelector("#disposition-form input[name='disposition']"));
    code.clear();
    code.sendKeys("SALE");
    browser.find(By.cssSelector("#disposition-form input[name='notes']")).sendKeys("upsell");
    browser.shot("agent-disposition");
    browser.find(By.xpath("//button[normalize-space()='Send disposition']")).click();
    browser.find(By.id("disposition-sent"));
    assertThat(browser.find(By.id("agent-log")).getText())
        .contains("CallbackInvitationEvent").contains("CallbackConnectedEvent").contains("CallbackDispositionEvent");
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("Preview", id))
        .containsEntry("_callback_state", "COMPLETED")
        .containsEntry("_callback_reason", "AGENT_CONNECTED")
        .containsEntry("_disposition", "SALE"));
  }

  @Test
  @Order(5)
  void the_configuration_shows_options_with_descriptions_and_masks_secrets() {
    browser.go("config?show=service%3ASupport&set=1");
    WebElement table = browser.find(By.id("config-table"));
    browser.until(d -> table.getText().contains("_webhook_secret"));
    assertThat(table.getText()).contains("********").doesNotContain("do-not-show").contains("_enable_in_queue_checking")
        .contains("acted on by OpenCallback");
    assertThat(browser.find(By.id("service-engines")).getText()).contains("Support: engine builtin").contains("SIMULATED");
    browser.shot("configuration");

    // the agent console's id pattern is a valid regular expression (an invalid one switches validation off)
    browser.go("agent");
    // (the login form may be hidden: the agent of the test before is still logged in)
    WebElement agent = browser.until(d -> d.findElements(By.cssSelector("input[name='agent']")).stream().findFirst().orElse(null));
    org.openqa.selenium.JavascriptExecutor js = (org.openqa.selenium.JavascriptExecutor) browser.driver;
    assertThat(js.executeScript("arguments[0].value = 'bad id!'; return arguments[0].checkValidity()", agent)).isEqualTo(false);
    assertThat(js.executeScript("arguments[0].value = 'alice.b-1_2'; return arguments[0].checkValidity()", agent)).isEqualTo(true);
  }

  @Test
  @Order(6)
  void the_pages_fit_a_phone_screen() {
    browser.resize(390, 844);
    try {
      browser.go("dashboard");
      browser.find(By.cssSelector("section[aria-labelledby='svc-Support']"));
      Long overflow = (Long) browser.driver.executeScript(
          "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
      assertThat(overflow).isLessThanOrEqualTo(0L);
      browser.shot("dashboard-phone");
      browser.go("agent");
      browser.find(By.id("agent-state"));
      browser.shot("agent-phone");
    } finally {
      browser.resize(1280, 900);
    }
  }

  @Test
  @Order(7)
  void logging_out_ends_the_session_and_the_next_visit_asks_for_the_password_again() {
    browser.go("dashboard");
    assertThat(browser.find(By.id("who-name")).getText()).contains(USER);
    browser.find(By.id("logout")).click();
    browser.find(By.id("login-form"));
    Object status = browser.driver.executeAsyncScript(
        "const done = arguments[arguments.length - 1];"
            + "fetch('/ui/api/config', {headers: {'X-Requested-With': 'opencallback-ui'}}).then(r => done(r.status));");
    assertThat(status).isEqualTo(401L);

    browser.driver.get(server.base() + "/ui/#/callbacks");
    browser.find(By.id("login-form"));
    browser.find(By.id("password")).sendKeys("wrong");
    browser.find(By.id("username")).sendKeys(USER);
    browser.find(By.id("login-submit")).click();
    browser.text(By.id("login-error"), "Invalid user name or password");
    browser.login(server.base(), USER, PASSWORD, "dashboard");
    browser.find(By.cssSelector("section[aria-labelledby='svc-Support']"));
  }

  private static String start(String service, Map<String, Object> body) {
    TestServer.Response response = server.postJson(CALLBACKS + service, new LinkedHashMap<>(body));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return (String) response.map().get("_id");
  }

  private static Map<String, Object> get(String service, String id) {
    TestServer.Response response = server.get(CALLBACKS + service + "/" + id);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }
}

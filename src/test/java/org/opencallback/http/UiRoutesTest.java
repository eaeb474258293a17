package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;

import at.favre.lib.crypto.bcrypt.BCrypt;
import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;

/** The management UI's static files, login and JSON endpoints, through HTTP. */
class UiRoutesTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
  private static final String PASSWORD = "s3cret-pw";

  private static TestServer server;

  @BeforeAll
  static void start() {
    String hash = BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray());
    server = TestServer.start(String.join("\n",
        "service.Sales:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "  _ttl: 7200",
        "  _webhook_secret: do-not-show",
        "  my_engine_option: kept",
        "service.Support:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "engine:",
        "  agents: 0",
        "users:",
        "  admin: '" + hash + "'",
        "  other:",
        "    password: '" + hash + "'",
        "    role: supervisor",
        ""));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void the_ui_json_asks_for_credentials_and_the_page_sends_to_the_login_page() throws Exception {
    for (String path : List.of("/ui/api/config", "/ui/api/callbacks", "/ui/api/overview")) {
      HttpResponse<String> response = get(path, null);
      assertThat(response.statusCode()).as(path).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
          value -> assertThat(value).startsWith("Basic realm=\"OpenCallback admin\""));
      assertThat(response.body()).doesNotContain("<html");
    }
    HttpResponse<String> page = get("/ui/", null);
    assertThat(page.statusCode()).isEqualTo(303);
    assertThat(page.headers().firstValue("Location")).hasValue("/ui/login.html");
    // static files hold no data: the login page needs them before anyone is logged in
    for (String path : List.of("/ui/login.html", "/ui/js/login.js", "/ui/js/main.js", "/ui/app.css")) {
      assertThat(get(path, null).statusCode()).as(path).isEqualTo(200);
    }
  }

  @Test
  void a_wrong_password_or_unknown_user_is_refused() throws Exception {
    assertThat(get("/ui/", auth("admin", "wrong")).statusCode()).isEqualTo(401);
    assertThat(get("/ui/", auth("nobody", PASSWORD)).statusCode()).isEqualTo(401);
    assertThat(get("/ui/api/config", auth("other", "wrong")).statusCode()).isEqualTo(401);
  }

  @Test
  void repeated_failed_logins_from_one_address_are_refused_for_a_while() throws Exception {
    try (TestServer own = TestServer.start(String.join("\n",
        "service.A:", "  _type: ors", "engine:", "  agents: 0", "users:",
        "  admin: '" + BCrypt.withDefaults().hashToString(4, PASSWORD.toCharArray()) + "'", ""))) {
      for (int i = 0; i < 10; i++) {
        assertThat(send(own, "/ui/", auth("admin", "guess" + i)).statusCode()).isEqualTo(401);
      }
      HttpResponse<String> blocked = send(own, "/ui/", auth("admin", PASSWORD));
      assertThat(blocked.statusCode()).isEqualTo(429);
      assertThat(blocked.body()).contains("Too many failed logins");
    }
  }

  @Test
  void without_users_nobody_logs_in() throws Exception {
    try (TestServer own = TestServer.start("service.A:\n  _type: ors\nengine:\n  agents: 0\nusers: {}\n")) {
      assertThat(send(own, "/ui/api/config", auth("admin", PASSWORD)).statusCode()).isEqualTo(401);
    }
  }

  @Test
  void ui_without_slash_redirects_to_ui_slash() throws Exception {
    HttpResponse<String> response = get("/ui", auth("admin", PASSWORD));
    assertThat(response.statusCode()).isEqualTo(301);
    assertThat(response.headers().firstValue("Location")).hasValue("/ui/");
  }

  @Test
  void the_page_is_served_with_its_content_type_security_headers_and_revalidation() throws Exception {
    HttpResponse<String> page = get("/ui/", auth("admin", PASSWORD));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/html"));
    assertThat(page.body()).contains("<script type=\"module\" src=\"/ui/js/main.js\">");
    assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-cache");
    assertThat(page.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'").contains("script-src 'self'"));
    assertThat(page.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    String etag = page.headers().firstValue("ETag").orElseThrow();

    HttpResponse<String> again = send(server, "/ui/", auth("admin", PASSWORD), "If-None-Match", etag);
    assertThat(again.statusCode()).isEqualTo(304);
    assertThat(again.body()).isEmpty();
  }

  @Test
  void scripts_styles_and_images_have_their_content_types() throws Exception {
    Map<String, String> expected = Map.of(
        "/ui/js/main.js", "text/javascript",
        "/ui/js/dashboard.js", "text/javascript",
        "/ui/app.css", "text/css",
        "/ui/favicon.svg", "image/svg+xml");
    for (Map.Entry<String, String> entry : expected.entrySet()) {
      HttpResponse<String> response = get(entry.getKey(), auth("admin", PASSWORD));
      assertThat(response.statusCode()).as(entry.getKey()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).as(entry.getKey())
          .hasValueSatisfying(v -> assertThat(v).startsWith(entry.getValue()));
    }
  }

  @Test
  void nothing_outside_the_ui_folder_is_served() throws Exception {
    for (String path : List.of("/ui/nothing.js", "/ui/..%2Fopencallback-demo.yaml", "/ui/js/../../logback.xml",
        "/ui/logback.xml", "/ui/db/migration/common/V1__callbacks.sql")) {
      assertThat(get(path, auth("admin", PASSWORD)).statusCode()).as(path).isIn(400, 404);
    }
  }

  @Test
  void no_asset_is_fetched_from_another_site() throws Exception {
    for (String path : List.of("/ui/", "/ui/app.css", "/ui/js/main.js", "/ui/js/api.js", "/ui/js/agent.js")) {
      assertThat(get(path, auth("admin", PASSWORD)).body()).as(path).doesNotContainPattern("https?://(?!www\\.w3\\.org/2000/svg)");
    }
  }

  @Test
  void config_shows_effective_options_with_descriptions_and_masks_secrets() throws Exception {
    Map<String, Object> config = json(get("/ui/api/config", auth("admin", PASSWORD)));
    assertThat(config.get("users")).isEqualTo(List.of("admin", "other"));
    assertThat(config.toString()).doesNotContain("do-not-show").doesNotContain("$2a$");
    Map<String, Object> sales = named(config.get("services"), "Sales");
    assertThat(sales.get("section")).isEqualTo("service.Sales");
    Map<String, Object> ttl = named(sales.get("options"), "_ttl");
    assertThat(ttl).containsEntry("value", "7200").containsEntry("source", "set").containsEntry("default", "86400");
    assertThat((String) ttl.get("description")).isNotBlank();
    assertThat(named(sales.get("options"), "_webhook_secret"))
        .containsEntry("value", "********").containsEntry("secret", true);
    assertThat(named(sales.get("options"), "_request_execution_time_buffer"))
        .containsEntry("value", "120").containsEntry("source", "default");
    assertThat(named(sales.get("options"), "my_engine_option")).containsEntry("value", "kept").containsEntry("source", "set");
    assertThat(named(config.get("sections"), "engine").get("options").toString()).contains("agents");
  }

  @Test
  void callbacks_are_searched_by_service_state_number_and_time_sorted_by_desired_time() throws Exception {
    String number = Api.number();
    String later = Api.start(server, "Support", Api.body("_customer_number", number,
        "_desired_time", Api.iso(Api.now().plusSeconds(7200))));
    String sooner = Api.start(server, "Support", Api.body("_customer_number", number,
        "_desired_time", Api.iso(Api.now().plusSeconds(3600))));
    String queued = Api.startQueued(server, "Support", number);

    Map<String, Object> all = json(get("/ui/api/callbacks?customer=" + Api.encode(number.substring(2)), auth("admin", PASSWORD)));
    assertThat(all).containsEntry("total", 3).containsEntry("page", 0).containsEntry("pageSize", 250).containsEntry("pages", 1);
    assertThat(ids(all)).containsExactly(queued, sooner, later);
    assertThat(items(all).get(0)).containsKeys("_service_name", "_callback_state", "_desired_time", "_time_scheduled");

    Map<String, Object> scheduled = json(get("/ui/api/callbacks?service=Support&state=scheduled&customer="
        + Api.encode(number), auth("admin", PASSWORD)));
    assertThat(ids(scheduled)).containsExactly(sooner, later);
    Map<String, Object> window = json(get("/ui/api/callbacks?customer=" + Api.encode(number) + "&from="
        + Api.iso(Api.now().plusSeconds(1800)) + "&to=" + Api.iso(Api.now().plusSeconds(5400)), auth("admin", PASSWORD)));
    assertThat(ids(window)).containsExactly(sooner);
    Map<String, Object> otherService = json(get("/ui/api/callbacks?service=Sales&customer=" + Api.encode(number), auth("admin", PASSWORD)));
    assertThat(otherService).containsEntry("total", 0);
  }

  @Test
  void a_customer_number_filter_is_text_not_a_pattern() throws Exception {
    Map<String, Object> body = json(get("/ui/api/callbacks?customer=%25", auth("admin", PASSWORD)));
    assertThat(body).containsEntry("total", 0);
  }

  @Test
  void callbacks_are_paged_by_250() throws Exception {
    String prefix = "+1666" + (100 + new java.util.Random().nextInt(800));
    for (int i = 0; i < 251; i++) {
      String number = prefix + String.format("%04d", i);
      Api.start(server, "Sales", Api.body("_customer_number", number,
          "_desired_time", Api.iso(Api.now().plusSeconds(86_400 + i * 60L))));
    }
    Map<String, Object> first = json(get("/ui/api/callbacks?service=Sales&customer=" + Api.encode(prefix), auth("admin", PASSWORD)));
    assertThat(first).containsEntry("total", 251).containsEntry("pages", 2);
    assertThat(items(first)).hasSize(250);
    Map<String, Object> second = json(get("/ui/api/callbacks?service=Sales&page=1&customer=" + Api.encode(prefix), auth("admin", PASSWORD)));
    assertThat(items(second)).hasSize(1);
    assertThat(items(second).get(0).get("_customer_number")).isEqualTo(prefix + "0250");
  }

  @Test
  void bad_search_parameters_are_refused_with_gms_errors() throws Exception {
    for (String query : List.of("state=WAITING", "page=-1", "page=x", "from=yesterday")) {
      HttpResponse<String> response = get("/ui/api/callbacks?" + query, auth("admin", PASSWORD));
      assertThat(response.statusCode()).as(query).isEqualTo(400);
      assertThat(json(response)).containsEntry("code", 40010);
    }
  }

  @Test
  void overview_counts_states_due_callbacks_and_recent_activity_per_service() throws Exception {
    Map<String, Object> before = named(json(get("/ui/api/overview", auth("admin", PASSWORD))).get("services"), "Support");
    Api.startQueued(server, "Support", Api.number());
    Api.start(server, "Support", Api.body("_customer_number", Api.number(),
        "_desired_time", Api.iso(Api.now().plusSeconds(1800))));
    Map<String, Object> overview = json(get("/ui/api/overview", auth("admin", PASSWORD)));
    assertThat(overview).containsEntry("bucketMinutes", 5).containsKeys("now", "chartStart");
    Map<String, Object> support = named(overview.get("services"), "Support");
    assertThat(count(support, "QUEUED")).isEqualTo(count(before, "QUEUED") + 1);
    assertThat(count(support, "SCHEDULED")).isEqualTo(count(before, "SCHEDULED") + 1);
    assertThat(((Number) support.get("dueNextHour")).longValue())
        .isEqualTo(((Number) before.get("dueNextHour")).longValue() + 1);
    List<Map<String, Object>> activity = list(support.get("activity"));
    assertThat(activity.stream().mapToInt(a -> ((Number) a.get("accepted")).intValue()).sum()).isGreaterThanOrEqualTo(2);
  }

  // ------------------------------------------------------------------ helpers

  private static long count(Map<String, Object> service, String state) {
    return ((Number) ((Map<?, ?>) service.get("states")).get(state)).longValue();
  }

  private static List<String> ids(Map<String, Object> page) {
    return items(page).stream().map(item -> (String) item.get("_id")).toList();
  }

  private static List<Map<String, Object>> items(Map<String, Object> page) {
    return list(page.get("items"));
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> list(Object value) {
    return (List<Map<String, Object>>) value;
  }

  private static Map<String, Object> named(Object entries, String name) {
    return list(entries).stream().filter(entry -> name.equals(entry.get("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in " + entries));
  }

  private static Map<String, Object> json(HttpResponse<String> response) throws IOException {
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
    return TestServer.JSON.readValue(response.body(), new TypeReference<Map<String, Object>>() {});
  }

  private static String auth(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  private static HttpResponse<String> get(String path, String authorization) throws Exception {
    return send(server, path, authorization);
  }

  private static HttpResponse<String> send(TestServer target, String path, String authorization, String... headers)
      throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(target.base() + path)).timeout(Duration.ofSeconds(30));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    HttpRequest built = request.build();
    HttpResponse<String> response = CLIENT.send(built, HttpResponse.BodyHandlers.ofString());
    org.opencallback.testing.ApiContract.check(built, null, response);
    return response;
  }
}

package org.opencallback.http.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.security.SecurityHttp.ADMIN;
import static org.opencallback.http.security.SecurityHttp.AGENTS;
import static org.opencallback.http.security.SecurityHttp.PASSWORD;
import static org.opencallback.http.security.SecurityHttp.basic;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.testing.Gms;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;
import org.opencallback.testing.UiSession;

/**
 * CSRF as an attacker's page would try it, and the UI's session as a browser holds it: cross-site
 * form and text/plain posts to every state-changing route are refused (with the admin's valid Basic
 * credentials attached, as a browser would) and change nothing; a cross-site Origin is refused; the
 * session cookie's flags; the CSRF token; logout; idle and absolute expiry.
 */
class CsrfAndSessionTest {
  private static final String EVIL = "https://evil.example";
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(SecurityHttp.CONFIG);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  /** Every state-changing route a logged-in browser can reach. */
  @ParameterizedTest
  @ValueSource(strings = {ADMIN + "/cancel", ADMIN + "/ops/delete", ADMIN + "/reportcancelled",
      ADMIN + "/services/Open/pause", ADMIN + "/services/Open/resume", AGENTS + "/bob/login", AGENTS + "/bob/logout",
      "/ui/api/session"})
  void form_text_plain_and_cross_site_posts_are_refused(String path) {
    String admin = basic("root", PASSWORD);
    for (String type : List.of("application/x-www-form-urlencoded", "text/plain", "multipart/form-data; boundary=x")) {
      Response response = post(path, type, "ids=a&username=root&password=" + PASSWORD, "Authorization", admin);
      Gms.assertError(response, 415, 40010);
    }
    // an empty text/plain body, and a body without any type (fetch with a Blob): refused too
    Gms.assertError(post(path, "text/plain", "", "Authorization", admin), 415, 40010);
    Gms.assertError(post(path, null, "{}", "Authorization", admin), 415, 40010);
    // JSON from another site's page (only after a CORS preflight these routes never grant), or with a null origin
    for (String origin : List.of(EVIL, "null", "http://127.0.0.1.evil.example")) {
      Gms.assertError(post(path, "application/json", "{}", "Authorization", admin, "Origin", origin), 403, 40010);
    }
    Gms.assertError(post(path, "application/json", "{}", "Authorization", admin, "Sec-Fetch-Site", "cross-site"), 403, 40010);
  }

  @Test
  void a_refused_cross_site_pause_changes_nothing_and_the_same_origin_one_works() {
    String admin = basic("root", PASSWORD);
    String pause = ADMIN + "/services/Open/pause";
    post(pause, "text/plain", "x", "Authorization", admin);
    post(pause, "application/json", "{}", "Authorization", admin, "Origin", EVIL);
    assertThat(Gms.send(server, "GET", pause, Map.of("Authorization", admin), null).map()).containsEntry("paused", false);

    Response same = post(pause, "application/json", "{}", "Authorization", admin, "Origin", server.base(),
        "Sec-Fetch-Site", "same-origin");
    assertThat(same.status()).as(same.body()).isEqualTo(200);
    assertThat(same.map()).containsEntry("paused", true);
    assertThat(post(ADMIN + "/services/Open/resume", null, "", "Authorization", admin).status()).isEqualTo(200);
  }

  @Test
  void the_session_cookie_is_http_only_strict_and_not_readable_by_scripts() {
    UiSession session = UiSession.login(server, "sue", PASSWORD);
    String cookie = UiSession.setCookie(session.loginResponse());
    assertThat(cookie).contains("HttpOnly").contains("SameSite=Strict").contains("Path=/").doesNotContain("Secure");
    assertThat(session.csrfToken()).hasSizeGreaterThanOrEqualTo(40).isNotEqualTo(session.cookie());
    assertThat(session.get(UiSession.PATH).map()).containsEntry("user", "sue").containsEntry("csrfToken", session.csrfToken());
  }

  @Test
  void behind_a_tls_proxy_the_cookie_can_be_made_secure() {
    try (TestServer own = TestServer.start(SecurityHttp.CONFIG + "server:\n  session-cookie-secure: true\n")) {
      assertThat(UiSession.setCookie(UiSession.login(own, "sue", PASSWORD).loginResponse())).contains("; Secure");
    }
  }

  @Test
  void a_session_call_that_changes_state_needs_the_csrf_token() {
    UiSession root = UiSession.login(server, "root", PASSWORD);
    String cancel = ADMIN + "/cancel";
    Gms.assertError(root.send("POST", cancel, Map.of("ids", List.of("x")), false), 403, 40010);
    Response wrong = Gms.send(server, "POST", cancel, Map.of("Cookie", UiSession.COOKIE + "=" + root.cookie(),
        "X-CSRF-Token", root.csrfToken() + "x"), "{\"ids\":[\"x\"]}");
    Gms.assertError(wrong, 403, 40010);
    // another session's token is no good either
    UiSession other = UiSession.login(server, "root", PASSWORD);
    Response foreign = Gms.send(server, "POST", cancel, Map.of("Cookie", UiSession.COOKIE + "=" + root.cookie(),
        "X-CSRF-Token", other.csrfToken()), "{\"ids\":[\"x\"]}");
    Gms.assertError(foreign, 403, 40010);

    Response right = root.send("POST", cancel, Map.of("ids", List.of("x")));
    assertThat(right.status()).as(right.body()).isEqualTo(200);
    assertThat(root.get(ADMIN + "/watermarks").status()).isEqualTo(200);
  }

  @Test
  void the_ui_cancels_a_callback_of_a_password_protected_service_with_its_session() {
    try (TestServer own = TestServer.start(SecurityHttp.CONFIG.replace("service.Open:\n",
        "service.Guarded:\n  _type: ors\n  _enable_in_queue_checking: false\n  password: svc-pass\nservice.Open:\n"))) {
      String id = String.valueOf(Gms.send(own, "POST", Gms.path("Guarded"), Map.of("Authorization", basic("x", "svc-pass")),
          Gms.write(Map.of("_customer_number", "+16175550199"))).map().get("_id"));
      UiSession sue = UiSession.login(own, "sue", PASSWORD);
      Gms.assertError(sue.send("DELETE", Gms.path("Guarded", id), null, false), 403, 40010);
      assertThat(sue.get(Gms.path("Guarded", id)).status()).isEqualTo(200);
      assertThat(sue.send("DELETE", Gms.path("Guarded", id), null).status()).isEqualTo(200);
      // an agent's session is no supervisor's: the service password applies
      Gms.assertError(UiSession.login(own, "bob", PASSWORD).get(Gms.path("Guarded", id)), 401, 40010);
    }
  }

  @Test
  void logout_ends_the_session() {
    UiSession session = UiSession.login(server, "sue", PASSWORD);
    assertThat(session.get("/ui/api/config").status()).isEqualTo(200);
    Gms.assertError(session.send("DELETE", UiSession.PATH, null, false), 403, 40010);
    assertThat(session.get("/ui/api/config").status()).isEqualTo(200);

    Response out = session.logout();
    assertThat(out.status()).isEqualTo(200);
    assertThat(UiSession.setCookie(out)).contains("Max-Age=0");
    Gms.assertError(session.get("/ui/api/config"), 401, 40010);
    Gms.assertError(session.get(UiSession.PATH), 401, 40010);
  }

  @Test
  void a_login_with_a_wrong_password_sets_no_cookie() {
    Response response = Gms.send(server, "POST", UiSession.PATH, Map.of(), Gms.write(Map.of("username", "sue", "password", "no")));
    Gms.assertError(response, 401, 40010);
    assertThat(Gms.header(response, "Set-Cookie")).isNull();
    assertThat(Gms.header(response, "WWW-Authenticate")).isNull();
  }

  @Test
  void a_session_ends_after_its_idle_time_and_after_its_absolute_time() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    String config = SecurityHttp.CONFIG + "server:\n  session-idle-timeout: 10m\n  session-absolute-timeout: 1h\n";
    try (TestServer own = TestServer.start(config, clock)) {
      UiSession idle = UiSession.login(own, "sue", PASSWORD);
      clock.advance(Duration.ofMinutes(9));
      assertThat(idle.get("/ui/api/overview").status()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(9)); // 9 minutes since the last use: still alive
      assertThat(idle.get("/ui/api/overview").status()).isEqualTo(200);
      clock.advance(Duration.ofMinutes(11));
      Gms.assertError(idle.get("/ui/api/overview"), 401, 40010);

      UiSession busy = UiSession.login(own, "sue", PASSWORD);
      for (int i = 0; i < 6; i++) {
        clock.advance(Duration.ofMinutes(9));
        assertThat(busy.get("/ui/api/overview").status()).as("after %d min", (i + 1) * 9).isEqualTo(200);
      }
      clock.advance(Duration.ofMinutes(7)); // 61 minutes after the login, used 7 minutes ago
      Gms.assertError(busy.get("/ui/api/overview"), 401, 40010);
    }
  }

  private static Response post(String path, String contentType, String body, String... headers) {
    Map<String, String> all = new java.util.LinkedHashMap<>();
    if (contentType != null) {
      all.put("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      all.put(headers[i], headers[i + 1]);
    }
    if (contentType == null) {
      return server.unchecked().send("POST", path, null, body.getBytes(StandardCharsets.UTF_8), all);
    }
    return Gms.send(server, "POST", path, all, body);
  }
}

package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Every answer carries the browser-hardening headers wapiti asked for in the security scan
 * (docs/security.md, "Response headers"): JSON answers, errors and unknown paths included; the UI keeps
 * its own page policy; strict transport security only over HTTPS ({@link TlsTest}).
 */
class SecurityHeadersTest {
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Api.CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static String header(Response response, String name) {
    return response.headers().entrySet().stream()
        .filter(entry -> entry.getKey().equalsIgnoreCase(name))
        .map(Map.Entry::getValue).map(values -> values.get(0)).findFirst().orElse(null);
  }

  @Test
  void api_answers_errors_and_unknown_paths_cannot_be_framed_sniffed_or_run_script() {
    for (Response response : List.of(
        server.get("/"),
        server.get("/health/live"),
        server.get("/genesys/1/service/callback/Basic/1-none"),
        server.send("DELETE", "/no/such/route", null, new byte[0]))) {
      assertThat(header(response, "Content-Security-Policy")).as(response.body())
          .isEqualTo(SecurityHeaders.API_POLICY);
      assertThat(header(response, "X-Content-Type-Options")).isEqualTo("nosniff");
      assertThat(header(response, "X-Frame-Options")).isEqualTo("DENY");
      assertThat(header(response, "Referrer-Policy")).isEqualTo("no-referrer");
      assertThat(header(response, "X-XSS-Protection")).isEqualTo("0");
      assertThat(header(response, "Strict-Transport-Security")).as("plain HTTP").isNull();
    }
  }

  @Test
  void the_ui_keeps_its_own_page_policy() {
    Response page = server.get("/ui/");
    assertThat(header(page, "Content-Security-Policy")).isEqualTo(UiRoutes.CONTENT_SECURITY_POLICY);
    assertThat(header(page, "X-Frame-Options")).isEqualTo("DENY");
  }
}

package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.admin.AdminHttp.ADMIN;
import static org.opencallback.http.admin.AdminHttp.SERVICE;
import static org.opencallback.http.admin.AdminHttp.header;
import static org.opencallback.http.admin.AdminHttp.send;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** CORS for the public callback API ([server] cors-allowed-origins); never for the admin API. */
class CorsTest {
  private static final String SHOP = "https://shop.example.com";
  private static final String CONFIG = String.join("\n",
      "server:",
      "  cors-allowed-origins: " + SHOP + ", https://other.example.com",
      "  username: gms",
      "  password: service-pass",
      "service.Web:",
      "  _type: ors",
      "engine:",
      "  agents: 0",
      AdminHttp.USERS);
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static Response preflight(String path, String origin) {
    return send(server, "OPTIONS", path, Map.of("Origin", origin, "Access-Control-Request-Method", "POST",
        "Access-Control-Request-Headers", "content-type,authorization"), null);
  }

  @Test
  void a_preflight_from_an_allowed_origin_is_answered_without_credentials() {
    Response response = preflight(SERVICE + "/Web", SHOP);

    assertThat(response.status()).isEqualTo(204);
    assertThat(header(response, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
    assertThat(header(response, "Access-Control-Allow-Methods")).contains("POST", "PUT", "DELETE");
    assertThat(header(response, "Access-Control-Allow-Headers")).isEqualTo("content-type,authorization");
    assertThat(header(response, "Access-Control-Allow-Credentials")).isEqualTo("true");
  }

  @Test
  void a_preflight_from_another_origin_gets_no_allow_headers() {
    Response response = preflight(SERVICE + "/Web/some-id", "https://evil.example.net");

    assertThat(response.status()).isEqualTo(403);
    assertThat(header(response, "Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void actual_requests_from_an_allowed_origin_carry_the_allow_origin_header_errors_included() {
    Map<String, String> headers = Map.of("Origin", SHOP, "Authorization", AdminHttp.basic("gms", "service-pass"));
    Response ok = send(server, "GET", SERVICE + "/Web/availability", headers, null);
    Response unauthorized = send(server, "GET", SERVICE + "/Web/availability", Map.of("Origin", SHOP), null);
    Response v2 = send(server, "GET", "/genesys/2/service/callback/Web/availability", headers, null);

    assertThat(ok.status()).isEqualTo(200);
    assertThat(header(ok, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
    assertThat(header(ok, "Vary")).contains("Origin");
    assertThat(unauthorized.status()).isEqualTo(401);
    assertThat(header(unauthorized, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
    assertThat(header(v2, "Access-Control-Allow-Origin")).isEqualTo(SHOP);
  }

  @Test
  void the_admin_api_is_never_opened_by_cors() {
    Response preflight = preflight(ADMIN + "/cancel", SHOP);
    Response actual = send(server, "GET", ADMIN + "/watermarks",
        Map.of("Origin", SHOP, "Authorization", AdminHttp.basic(AdminHttp.USER, AdminHttp.PASSWORD)), null);

    assertThat(header(preflight, "Access-Control-Allow-Origin")).isNull();
    assertThat(preflight.status()).isNotEqualTo(204);
    assertThat(actual.status()).isEqualTo(200);
    assertThat(header(actual, "Access-Control-Allow-Origin")).isNull();
  }

  @Test
  void without_allowed_origins_cors_is_off() {
    try (TestServer plain = TestServer.start("service.Web:\n  _type: ors\nengine:\n  agents: 0\n")) {
      Response preflight = send(plain, "OPTIONS", SERVICE + "/Web",
          Map.of("Origin", SHOP, "Access-Control-Request-Method", "POST"), null);
      Response actual = send(plain, "GET", SERVICE + "/Web/availability", Map.of("Origin", SHOP), null);

      assertThat(preflight.status()).isEqualTo(403);
      assertThat(header(preflight, "Access-Control-Allow-Origin")).isNull();
      assertThat(actual.status()).isEqualTo(200);
      assertThat(header(actual, "Access-Control-Allow-Origin")).isNull();
    }
  }
}

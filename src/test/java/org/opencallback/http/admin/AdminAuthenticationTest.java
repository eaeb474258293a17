package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.admin.AdminHttp.ADMIN;
import static org.opencallback.http.admin.AdminHttp.HASH;
import static org.opencallback.http.admin.AdminHttp.PASSWORD;
import static org.opencallback.http.admin.AdminHttp.USER;
import static org.opencallback.http.admin.AdminHttp.assertError;
import static org.opencallback.http.admin.AdminHttp.basic;
import static org.opencallback.http.admin.AdminHttp.body;
import static org.opencallback.http.admin.AdminHttp.encode;
import static org.opencallback.http.admin.AdminHttp.get;
import static org.opencallback.http.admin.AdminHttp.header;
import static org.opencallback.http.admin.AdminHttp.post;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Basic authentication of /genesys/1/admin/… against the users section. */
class AdminAuthenticationTest {
  static final String CONFIG = String.join("\n",
      "server:",
      "  username: gms",
      "  password: service-pass",
      "service.Basic:",
      "  _type: ors",
      "engine:",
      "  agents: 0",
      AdminHttp.USERS);
  private static final String WATERMARKS = ADMIN + "/watermarks";
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void admin_without_credentials_answers_401_with_a_basic_challenge() {
    Response response = get(server, WATERMARKS, Map.of());

    assertError(response, 401, 40010);
    assertThat(header(response, "WWW-Authenticate")).startsWith("Basic realm=");
  }

  @Test
  void admin_with_a_wrong_password_answers_401() {
    Response response = get(server, WATERMARKS, Map.of("Authorization", basic(USER, "wrong")));

    assertError(response, 401, 40010);
    assertThat(header(response, "WWW-Authenticate")).startsWith("Basic");
  }

  @Test
  void admin_with_an_unknown_user_or_a_malformed_header_answers_401() {
    assertError(get(server, WATERMARKS, Map.of("Authorization", basic("nobody", PASSWORD))), 401, 40010);
    assertError(get(server, WATERMARKS, Map.of("Authorization", "Basic !!!not-base64")), 401, 40010);
    assertError(get(server, WATERMARKS, Map.of("Authorization", "Bearer abc")), 401, 40010);
  }

  @Test
  void admin_with_the_right_credentials_answers_200_and_again_from_the_cache() {
    for (int i = 0; i < 3; i++) {
      Response response = get(server, WATERMARKS, AdminHttp.admin());
      assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
  }

  @Test
  void admin_accepts_credentials_as_query_parameters() {
    Response response = get(server,
        WATERMARKS + "?username=" + USER + "&password=" + encode(PASSWORD), Map.of());

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.map()).containsKeys("total", "services");
  }

  @Test
  void admin_accepts_credentials_in_a_json_body_but_no_form_body() {
    Response json = post(server, ADMIN + "/reportcancelled", Map.of(),
        body("username", USER, "password", PASSWORD, "callback_reason", "CANCELLED_BY_ADMIN"));
    // a web page on another site can post a form with the browser's credentials (CSRF): 415
    Response form = server.postForm(ADMIN + "/reportcancelled",
        "username=" + USER + "&password=" + encode(PASSWORD) + "&callback_reason=CANCELLED_BY_ADMIN");

    assertThat(json.status()).as(json.body()).isEqualTo(204);
    assertError(form, 415, 40010);
  }

  @Test
  void wrong_credentials_in_parameters_answer_401() {
    Response response = get(server, WATERMARKS + "?username=" + USER + "&password=nope", Map.of());

    assertError(response, 401, 40010);
  }

  @Test
  void the_server_credentials_do_not_open_the_admin_api() {
    Response response = get(server, WATERMARKS, Map.of("Authorization", basic("gms", "service-pass")));

    assertError(response, 401, 40010);
  }

  @Test
  void health_and_metrics_never_ask_for_credentials() {
    assertThat(server.get("/health/live").status()).isEqualTo(200);
    assertThat(server.get("/health/ready").status()).isEqualTo(200);
    assertThat(server.get("/metrics").status()).isEqualTo(200);
  }

  @Test
  void neither_password_nor_hash_reaches_a_log() {
    String secretTry = "Hunter2-wrong-" + System.nanoTime();
    try (LogCapture all = new LogCapture(org.slf4j.Logger.ROOT_LOGGER_NAME)) {
      get(server, WATERMARKS, Map.of("Authorization", basic(USER, secretTry)));
      get(server, WATERMARKS + "?username=" + USER + "&password=" + secretTry, Map.of());
      get(server, WATERMARKS, AdminHttp.admin());

      assertThat(all.messages()).isNotEmpty();
      assertThat(String.join("\n", all.messages()))
          .doesNotContain(secretTry)
          .doesNotContain(PASSWORD)
          .doesNotContain(HASH)
          .contains("login refused for user 'admin'");
    }
  }
}

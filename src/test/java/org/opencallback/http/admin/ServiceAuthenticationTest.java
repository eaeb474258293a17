package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.admin.AdminHttp.SERVICE;
import static org.opencallback.http.admin.AdminHttp.assertError;
import static org.opencallback.http.admin.AdminHttp.basic;
import static org.opencallback.http.admin.AdminHttp.body;
import static org.opencallback.http.admin.AdminHttp.get;
import static org.opencallback.http.admin.AdminHttp.header;
import static org.opencallback.http.admin.AdminHttp.number;
import static org.opencallback.http.admin.AdminHttp.post;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Basic authentication of the service endpoints (gms-behaviour.md): [server] username / password,
 * overridden option by option by the service section; only when a password is in effect.
 */
class ServiceAuthenticationTest {
  private static final String CONFIG = String.join("\n",
      "server:",
      "  username: gms",
      "  password: server-pass",
      "service.ServerPair:",
      "  _type: ors",
      "service.OwnUser:",
      "  _type: ors",
      "  username: alice",
      "service.OwnPassword:",
      "  _type: ors",
      "  password: own-pass",
      "service.OwnPair:",
      "  _type: ors",
      "  username: bob",
      "  password: bob-pass",
      "engine:",
      "  agents: 0",
      "");
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static Response start(String service, String user, String password) {
    Map<String, String> headers = user == null ? Map.of() : Map.of("Authorization", basic(user, password));
    return post(server, SERVICE + "/" + service, headers, body("_customer_number", number()));
  }

  @Test
  void a_server_password_protects_every_service_endpoint() {
    Response none = start("ServerPair", null, null);

    assertError(none, 401, 40010);
    assertThat(header(none, "WWW-Authenticate")).startsWith("Basic");
    assertError(get(server, SERVICE + "/ServerPair/availability", Map.of()), 401, 40010);
    assertError(get(server, "/genesys/2/service/callback/ServerPair/availability", Map.of()), 401, 40010);
    assertError(get(server, SERVICE + "?_customer_number=%2B15551234567", Map.of()), 401, 40010);
  }

  @Test
  void the_server_pair_opens_a_service_without_its_own_credentials() {
    assertThat(start("ServerPair", "gms", "server-pass").status()).isEqualTo(200);
    assertError(start("ServerPair", "gms", "wrong"), 401, 40010);
    assertError(start("ServerPair", "someone", "server-pass"), 401, 40010);
  }

  @Test
  void a_service_user_name_overrides_the_server_user_name_only() {
    assertThat(start("OwnUser", "alice", "server-pass").status()).isEqualTo(200);
    assertError(start("OwnUser", "gms", "server-pass"), 401, 40010);
  }

  @Test
  void a_service_password_with_the_server_user_name_answers_401_or_200_never_500() {
    assertThat(start("OwnPassword", "gms", "own-pass").status()).isEqualTo(200);
    assertError(start("OwnPassword", "gms", "server-pass"), 401, 40010);
    assertError(start("OwnPassword", null, null), 401, 40010);
  }

  @Test
  void when_a_service_has_both_the_server_pair_is_refused() {
    assertThat(start("OwnPair", "bob", "bob-pass").status()).isEqualTo(200);
    assertError(start("OwnPair", "gms", "server-pass"), 401, 40010);
  }

  @Test
  void credentials_of_a_service_reach_its_other_endpoints() {
    Response started = start("OwnPair", "bob", "bob-pass");
    String id = (String) started.map().get("_id");
    Map<String, String> bob = Map.of("Authorization", basic("bob", "bob-pass"));

    assertThat(get(server, SERVICE + "/OwnPair/" + id, bob).status()).isEqualTo(200);
    assertError(get(server, SERVICE + "/OwnPair/" + id, Map.of()), 401, 40010);
    assertThat(AdminHttp.send(server, "DELETE", SERVICE + "/OwnPair/" + id, bob, null).status()).isEqualTo(200);
  }

  @Test
  void health_and_metrics_stay_open() {
    assertThat(server.get("/health/live").status()).isEqualTo(200);
    assertThat(server.get("/health/ready").status()).isEqualTo(200);
    assertThat(server.get("/metrics").status()).isEqualTo(200);
  }

  @Test
  void a_user_name_alone_leaves_the_services_open() {
    String config = "server:\n  username: gms\nservice.Open:\n  _type: ors\nengine:\n  agents: 0\n";
    try (TestServer open = TestServer.start(config)) {
      Response response = open.postJson(SERVICE + "/Open", body("_customer_number", number()));

      assertThat(response.status()).as(response.body()).isEqualTo(200);
    }
  }
}

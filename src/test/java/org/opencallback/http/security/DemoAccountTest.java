package org.opencallback.http.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.app.Server;
import org.opencallback.app.Settings;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;

/**
 * First run: the README's quick start (no configuration file: the bundled demo) logs in to the UI as
 * demo / demo from this machine; not through a proxy, and not with any configuration file.
 */
class DemoAccountTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void the_bundled_demo_logs_in_as_demo_from_this_machine_only() throws Exception {
    Path dir = Files.createTempDirectory("opencallback-demo-");
    try (Server server = Server.start(Settings.parse(new String[] {"--port", "0", "--host", "127.0.0.1",
        "--data-dir", dir.resolve("data").toString()}, name -> null), Clock.systemUTC())) {
      String base = "http://127.0.0.1:" + server.port();
      HttpResponse<String> hint = send(base, "GET", null);
      assertThat(hint.statusCode()).isEqualTo(401);
      assertThat(hint.body()).contains("\"demo\"");

      HttpResponse<String> login = send(base, "POST", null);
      assertThat(login.statusCode()).as(login.body()).isEqualTo(200);
      assertThat(login.body()).contains("\"role\":\"admin\"");
      assertThat(login.headers().firstValue("Set-Cookie")).hasValueSatisfying(c -> assertThat(c).startsWith("oc_session="));

      // a reverse proxy on this machine makes every client look local: not the demo account then
      assertThat(send(base, "POST", "203.0.113.9").statusCode()).isEqualTo(401);
      assertThat(send(base, "GET", "203.0.113.9").body()).doesNotContain("\"demo\"");
    }
  }

  @Test
  void a_configuration_file_has_no_demo_account() {
    try (TestServer server = TestServer.start("service.BasicCallback:\n  _type: ors\nusers: {}\n")) {
      Gms.assertError(Gms.send(server, "POST", "/ui/api/session", Map.of(),
          Gms.write(Map.of("username", "demo", "password", "demo"))), 401, 40010);
    }
  }

  private static HttpResponse<String> send(String base, String method, String forwardedFor) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + "/ui/api/session"))
        .header("Content-Type", "application/json");
    if (forwardedFor != null) {
      request.header("X-Forwarded-For", forwardedFor);
    }
    request.method(method, method.equals("GET") ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString("{\"username\":\"demo\",\"password\":\"demo\"}"));
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}

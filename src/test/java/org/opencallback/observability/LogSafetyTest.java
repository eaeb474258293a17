package org.opencallback.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.testing.ForkedServer;
import org.opencallback.testing.TestServer;

/**
 * Issue 15, hardening: what the real server prints (its own JVM, the shipped logback.xml). CR, LF and
 * other control characters in request text never start a log line of their own; customer numbers and
 * refusal messages are left out of the log unless {@code [server] log-customer-data: true}.
 */
class LogSafetyTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final String NUMBER = "+33144556601";

  @TempDir
  Path dir;

  private ForkedServer start(boolean customerData) throws Exception {
    Path config = dir.resolve("opencallback.yaml");
    Files.writeString(config, String.join("\n",
        "server:",
        "  log-customer-data: " + customerData,
        TestServer.ADMIN_USERS,
        "service.Svc:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "engine:",
        "  agents: 0",
        ""));
    int port = ForkedServer.freePort();
    ForkedServer server = ForkedServer.start(dir, port, "--config", config.toString(), "--host", "127.0.0.1",
        "--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString());
    assertThat(server.awaitListening(Duration.ofSeconds(90))).as(String.join("\n", server.output())).isTrue();
    return server;
  }

  private static int send(String method, String url, String authorization, String body) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** Requests whose text carries CR/LF (and ESC, NUL) meant to forge a line starting with FORGED. */
  private static void forge(ForkedServer server) throws Exception {
    String base = server.base();
    String user = Base64.getEncoder().encodeToString(
        "eve\r\nFORGED admin login accepted\u001b[2J\u0000:pw".getBytes(StandardCharsets.UTF_8));
    assertThat(send("GET", base + "/genesys/1/admin/callback/watermarks", "Basic " + user, null)).isEqualTo(401);
    assertThat(send("POST", base + "/genesys/1/service/callback/Svc%0D%0AFORGED%20path", null,
        "{\"_customer_number\":\"" + NUMBER + "\"}")).isEqualTo(400);
    assertThat(send("POST", base + "/genesys/1/service/callback/Svc", null,
        "{\"_customer_number\":\"" + NUMBER + "\",\"_desired_time\":\"soon\\r\\nFORGED desired time\"}")).isEqualTo(400);
    assertThat(send("POST", base + "/genesys/1/service/callback/Svc", null,
        "{\"_customer_number\":\"" + NUMBER + "\",\"note\":\"a\\r\\nFORGED note\"}")).isEqualTo(200);
  }

  private static void assertNoForgedLine(List<String> output) {
    assertThat(output).noneMatch(line -> line.startsWith("FORGED"));
    assertThat(output).noneMatch(line -> line.contains("\u001b") || line.contains("\u0000"));
  }

  @Test
  void by_default_request_text_cannot_forge_lines_and_no_customer_data_is_logged() throws Exception {
    try (ForkedServer server = start(false)) {
      forge(server);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(server.output()).anyMatch(line -> line.contains("\"event\":\"accepted\"")));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(server.output()).anyMatch(line -> line.contains("login refused for user 'eve")));
      List<String> output = server.output();
      assertNoForgedLine(output);
      assertThat(output).noneMatch(line -> line.contains(NUMBER) || line.contains(NUMBER.substring(1)));
      assertThat(output).anyMatch(line -> line.contains("Callback request to Svc refused: 40010 INVALID_PARAMETER"));
      assertThat(output).noneMatch(line -> line.contains("FORGED desired time"));
    }
  }

  @Test
  void with_log_customer_data_numbers_and_messages_are_logged_escaped() throws Exception {
    try (ForkedServer server = start(true)) {
      forge(server);
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(server.output()).anyMatch(line -> line.contains("\"_customer_number\":\"" + NUMBER + "\"")));
      await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
          assertThat(server.output()).anyMatch(line -> line.contains("soon\\r\\nFORGED desired time")));
      assertNoForgedLine(server.output());
    }
  }
}

package org.opencallback.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.ForkedServer;

/**
 * Issue 10, security 3: no secret reaches the log. The real server in its own JVM, with a secret in
 * every place one can be (admin password and its hash, [server] and service passwords, the database
 * password, the webhook HMAC secret, credentials in the ORS, webhook, reporting and notification
 * URLs), goes through wrong and right logins (header, query string, body), failing hand-offs to ORS
 * and a webhook, a failing notification, the config view, a refused and an accepted reload with new
 * secrets, error paths and shutdown. Nothing it prints (startup lines, access log, per-change log,
 * warnings, stack traces) contains a secret, nor the Base64 of a user:password pair.
 */
class SecretsInLogsTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private final String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  private final String adminPassword = secret("AdminPw");
  private final String adminPassword2 = secret("AdminPwTwo");
  private final String serverPassword = secret("ServerPw");
  private final String serverPassword2 = secret("ServerPwTwo");
  private final String servicePassword = secret("ServicePw");
  private final String dbPassword = secret("DbPw");
  private final String hmacSecret = secret("Hmac");
  private final String hmacSecret2 = secret("HmacTwo");
  private final String hookUrlPassword = secret("HookUrlPw");
  private final String hookToken = secret("HookToken");
  private final String orsPassword = secret("OrsPw");
  private final String reportingPassword = secret("ReportPw");
  private final String devicePassword = secret("DevicePw");
  private final String wrongPassword = secret("WrongPw");
  private final String adminHash = BCrypt.withDefaults().hashToString(4, adminPassword.toCharArray());
  private final String adminHash2 = BCrypt.withDefaults().hashToString(4, adminPassword2.toCharArray());

  private String secret(String what) {
    return what + "X" + run;
  }

  private List<String> secrets() {
    List<String> secrets = new ArrayList<>(List.of(adminPassword, adminPassword2, serverPassword, serverPassword2,
        servicePassword, dbPassword, hmacSecret, hmacSecret2, hookUrlPassword, hookToken, orsPassword,
        reportingPassword, devicePassword, wrongPassword, adminHash, adminHash2,
        // the salt alone, as a quoted and shortened line of the file would show it
        adminHash.substring(7, 29), adminHash2.substring(7, 29)));
    for (String[] pair : List.of(new String[] {"admin", adminPassword}, new String[] {"admin", adminPassword2},
        new String[] {"admin", wrongPassword}, new String[] {"gms", serverPassword},
        new String[] {"gms", serverPassword2}, new String[] {"svc", servicePassword},
        new String[] {"svc", wrongPassword})) {
      secrets.add(base64(pair[0] + ":" + pair[1]));
    }
    return secrets;
  }

  private static String base64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String basic(String user, String password) {
    return "Basic " + base64(user + ":" + password);
  }

  private String config(String format, String hash, String server, String hmac, String hookUrl, String orsUrl,
      String reportingUrl) {
    return String.join("\n",
        "server:",
        "  log-format: " + format,
        "  username: gms",
        "  password: " + server,
        "  reporting-webhook: " + reportingUrl,
        "  outbound-allowed-urls: http://127.0.0.1", // the notification's dead loopback device URL
        "  outbound-allowed-ranges: 127.0.0.1",
        "users:",
        "  admin: '" + hash + "'",
        "callback:",
        "  _submit_retry_delay: 100ms",
        "  _max_ors_submit_attempts: 1",
        "service.Hook:",
        "  _execution: webhook",
        "  _webhook_url: " + hookUrl,
        "  _webhook_secret: " + hmac,
        "  _webhook_timeout: 2s",
        "  _request_execution_time_buffer: 0",
        "  _enable_in_queue_checking: false",
        "service.Ors:",
        "  _type: ors",
        "  _ors: " + orsUrl,
        "  _service: http://apps/callback.scxml",
        "  username: svc",
        "  password: " + servicePassword,
        "  _request_execution_time_buffer: 0",
        "  _enable_in_queue_checking: false",
        "service.Notify:",
        "  _type: ors",
        "  _max_notify_delivery_attempts: 1",
        "  _enable_in_queue_checking: false",
        "engine:",
        "  agents: 0",
        "");
  }

  private static HttpResponse<String> send(String method, String url, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      builder.header("Content-Type", "application/json");
    }
    headers.forEach(builder::header);
    return CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(ForkedServer server, int status, HttpResponse<String> response) {
    assertThat(response.statusCode())
        .as("%s %s: %s%n%s", response.request().method(), response.request().uri(), response.body(),
            String.join("\n", server.output()))
        .isEqualTo(status);
  }

  private static boolean logged(ForkedServer server, String text) {
    return server.output().stream().anyMatch(line -> line.contains(text));
  }

  @ParameterizedTest(name = "log-format {0}")
  @ValueSource(strings = {"text", "json"})
  void no_secret_reaches_the_output_of_a_busy_server(String format, @TempDir Path dir) throws Exception {
    try (FakeReceiver hook = FakeReceiver.start()) {
      hook.respond(request -> new FakeReceiver.Reply(500, "{}"));
      String hookHostPort = hook.url().substring("http://".length());
      String hookUrl = "http://hook:" + hookUrlPassword + "@" + hookHostPort + "/hook?token=" + hookToken;
      String orsUrl = FakeReceiver.deadUrl().replace("http://", "http://ors:" + orsPassword + "@");
      String reportingUrl = FakeReceiver.deadUrl().replace("http://", "https://reports:" + reportingPassword + "@")
          + "/events";
      String deviceUrl = FakeReceiver.deadUrl().replace("http://", "http://device:" + devicePassword + "@")
          + "/device?token=" + devicePassword;
      Path configFile = dir.resolve("opencallback.yaml");
      Files.writeString(configFile, config(format, adminHash, serverPassword, hmacSecret, hookUrl, orsUrl, reportingUrl));
      int port = ForkedServer.freePort();

      try (ForkedServer server = ForkedServer.start(dir, port, "--config", configFile.toString(),
          "--port", String.valueOf(port), "--data-dir", dir.resolve("data").toString(),
          "--db-user", "sa", "--db-password", dbPassword)) {
        assertThat(server.awaitListening(Duration.ofSeconds(60))).as(String.join("\n", server.output())).isTrue();
        String base = server.base();
        String admin = base + "/genesys/1/admin/callback";
        String service = base + "/genesys/1/service/callback";

        // logins: wrong and right, in the header, the query string and the body
        expect(server, 401, send("GET", admin + "/watermarks", Map.of("Authorization", basic("admin", wrongPassword)), null));
        expect(server, 401, send("GET", admin + "/watermarks?username=admin&password=" + wrongPassword, Map.of(), null));
        expect(server, 401, send("POST", admin + "/reportcancelled", Map.of(),
            "{\"username\":\"admin\",\"password\":\"" + wrongPassword + "\",\"callback_reason\":\"X\"}"));
        expect(server, 200, send("GET", admin + "/watermarks", Map.of("Authorization", basic("admin", adminPassword)), null));
        expect(server, 200, send("GET", admin + "/watermarks?username=admin&password=" + adminPassword, Map.of(), null));
        expect(server, 401, send("POST", service + "/Ors", Map.of("Authorization", basic("svc", wrongPassword)),
            "{\"_customer_number\":\"+15556660001\"}"));

        // hand-offs failing against URLs with credentials: ORS unreachable, the webhook answering 500
        // (an immediate hand-off that fails answers 500 / 50006, as GMS does)
        expect(server, 500, send("POST", service + "/Ors", Map.of("Authorization", basic("svc", servicePassword)),
            "{\"_customer_number\":\"+15556660002\"}"));
        expect(server, 500, send("POST", service + "/Hook", Map.of("Authorization", basic("gms", serverPassword)),
            "{\"_customer_number\":\"+15556660003\"}"));
        // a device URL with credentials is refused at admission (outbound policy: no user info)
        expect(server, 400, send("POST", service + "/Notify", Map.of("Authorization", basic("gms", serverPassword)),
            "{\"_customer_number\":\"+15556660004\",\"_device_os\":\"httpcb\",\"_device_notification_id\":\""
                + deviceUrl + "\"}"));
        // a notification to a device URL with a token that nobody answers
        expect(server, 200, send("POST", service + "/Notify", Map.of("Authorization", basic("gms", serverPassword)),
            "{\"_customer_number\":\"+15556660005\",\"_device_os\":\"httpcb\",\"_device_notification_id\":\""
                + deviceUrl.replace("device:" + devicePassword + "@", "") + "\"}"));
        await().atMost(PATIENCE).until(() -> !hook.requests("/hook").isEmpty());
        await().atMost(PATIENCE).until(() -> server.output().stream()
            .filter(line -> line.contains("hand-off of callback")).count() >= 2);
        await().atMost(PATIENCE).until(() -> logged(server, "notification"));
        assertThat(hook.requests("/hook").get(0).header("Authorization")).isNull();

        // the configuration as the UI shows it: secrets masked, URLs without their credentials
        HttpResponse<String> view = send("GET", base + "/ui/api/config",
            Map.of("Authorization", basic("admin", adminPassword)), null);
        assertThat(view.statusCode()).isEqualTo(200);
        assertThat(view.body()).contains("********", "http://***@" + hookHostPort);
        for (String secret : secrets()) {
          assertThat(view.body()).as("the config view").doesNotContain(secret);
        }

        // error paths: a secret in an unknown path's query string, broken JSON around a password
        expect(server, 404, send("GET", base + "/genesys/1/nothing/here?password=" + wrongPassword, Map.of(), null));
        expect(server, 400, send("POST", admin + "/cancel", Map.of("Authorization", basic("admin", adminPassword)),
            "{\"password\":\"" + wrongPassword + "\","));

        // a reload refused for a syntax error on the password's own line (the YAML parser quotes the line
        // it stumbles on), then one with new secrets
        Files.writeString(configFile, config(format, adminHash2, serverPassword2, hmacSecret2, hookUrl, orsUrl, reportingUrl)
            .replace("  password: " + serverPassword2, "  password: " + serverPassword2 + ": oops"));
        await().atMost(PATIENCE).until(() -> logged(server, "Configuration change refused"));
        Files.writeString(configFile, config(format, adminHash2, serverPassword2, hmacSecret2, hookUrl, orsUrl, reportingUrl));
        await().atMost(PATIENCE).until(() -> logged(server, "Configuration reloaded"));
        expect(server, 200, send("GET", admin + "/watermarks", Map.of("Authorization", basic("admin", adminPassword2)), null));
        expect(server, 401, send("GET", admin + "/watermarks", Map.of("Authorization", basic("admin", adminPassword)), null));
        expect(server, 200, send("GET", service + "/Hook/availability", Map.of("Authorization", basic("gms", serverPassword2)),
            null));

        assertThat(server.terminate(Duration.ofSeconds(30))).isNotEqualTo(-1);
        server.waitForExit(Duration.ofSeconds(10));
        // JSON lines escape "/" (a Base64 pair may hold one) and keep the arguments apart from the message
        String output = String.join("\n", server.output()).replace("\\/", "/");
        assertThat(output).contains("OpenCallback listening on", "login refused for user", "Configuration reloaded",
            "***@");
        for (String secret : secrets()) {
          assertThat(output).as("server output").doesNotContain(secret);
        }
      }
    }
  }
}

package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencallback.config.ConfigWatcher;
import org.opencallback.testing.ConnectionCounter;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.Gms;
import org.opencallback.testing.LogLines;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Request-chosen URLs are judged when the request is accepted (docs/security.md, "Outbound URLs"):
 * a URL the outbound policy refuses by its allow-list or its literal address (loopback, private,
 * link-local, ULA, a host off the list, a scheme other than http(s)) is answered 400 / 40040 with
 * the GMS body and nothing is stored, on start, redial and {@code PUT}; a loopback listener counts
 * no connection. Private and link-local literals are only ever written into requests that are
 * refused; their callbacks would be scheduled for tomorrow, so even a broken check sends nothing
 * during the test (and the connect-time check refuses them again). Traffic goes to 127.0.0.1 only.
 */
class OutboundAdmissionTest {
  private static final String BASE = "/genesys/1/service/callback/";
  private static final String TOMORROW = Instant.now().plus(1, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
  private static final List<String> REFUSED_LITERALS = List.of(
      "http://10.0.0.7:9200", "http://192.168.1.1", "http://172.16.0.1", "http://169.254.169.254/latest/meta-data",
      "http://[fe80::1]", "http://[fd00::7]", "http://[::ffff:10.0.0.7]", "http://0.0.0.0:80");

  @TempDir
  Path dir;

  private final ConnectionCounter target = ConnectionCounter.start();
  private TestServer server;
  private String yaml;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    target.close();
  }

  /** Every literal above and 127.0.0.1 on the allow-list: only the address rules refuse them. */
  private TestServer start(String... serverOptions) throws Exception {
    Path silent = dir.resolve("silent.json"); // no message for any event: no notification is ever sent
    Files.writeString(silent, "{}");
    StringBuilder yaml = new StringBuilder("server:\n  outbound-allowed-urls: 10.0.0.7, 192.168.1.1, 172.16.0.1,"
        + " 169.254.169.254, [fe80::1], [fd00::7], [::ffff:10.0.0.7], 0.0.0.0, 127.0.0.1, localhost, allowed.example\n");
    for (String option : serverOptions) {
      yaml.append("  ").append(option).append('\n');
    }
    yaml.append("callback:\n  _submit_retry_delay: 50ms\n")
        .append("service.Ors:\n  _type: ors\n  _enable_in_queue_checking: false\n  _max_ors_submit_attempts: 1\n")
        .append("  _overwritable_options: _ors\n  _ors: http://ors.invalid:1\n")
        .append("  _callback_scxml_url: http://scxml.invalid/callback.scxml\n")
        .append("service.Push:\n  _type: ors\n  _enable_in_queue_checking: false\n")
        .append("  _notification_message_file: ").append(silent).append('\n')
        .append("  _max_notify_delivery_attempts: 1\n")
        .append("service.Hook:\n  _type: ors\n  _execution: webhook\n  _enable_in_queue_checking: false\n")
        .append("  _webhook_url: $hook$\n  _webhook_timeout: 2s\n  _webhook_secret: hook-secret\n")
        .append("service.Messages:\n  _type: ors\n  _enable_in_queue_checking: false\n")
        .append("  _notification_message_file: $messages$\n")
        .append("engine:\n  agents: 0\n");
    this.yaml = yaml.toString();
    server = TestServer.start(this.yaml);
    return server;
  }

  private static Map<String, Object> request(String number, Object... pairs) {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("_customer_number", number);
    for (int i = 0; i < pairs.length; i += 2) {
      request.put(String.valueOf(pairs[i]), pairs[i + 1]);
    }
    return request;
  }

  private void assertRefused(Response response, String number, String parameter) {
    Map<String, Object> body = Gms.assertError(response, 400, 40040);
    assertThat(body.get("phrase")).isEqualTo("REQUEST_REJECTED");
    assertThat(String.valueOf(body.get("message"))).contains(parameter).doesNotContain("Exception:");
    assertThat(Gms.lookupAll(server, number)).as("nothing stored").isEmpty();
  }

  @Test
  void ors_overwrites_on_refused_literal_addresses_are_refused_at_admission() throws Exception {
    start();
    int n = 0;
    for (String url : REFUSED_LITERALS) {
      String number = "+1555444" + String.format("%04d", ++n);
      assertRefused(server.postJson(BASE + "Ors", request(number, "_ors", url, "_desired_time", TOMORROW)), number, "_ors");
    }
    assertRefused(server.postJson(BASE + "Ors", request("+15554449001", "_ors", target.url())), "+15554449001", "_ors");
    assertRefused(server.postJson(BASE + "Ors", request("+15554449002", "_ors", "http://localhost:" + target.port())),
        "+15554449002", "_ors");
    // one refused URL in a list refuses the request
    assertRefused(server.postJson(BASE + "Ors", request("+15554449003", "_ors",
        "http://allowed.example, " + target.url(), "_desired_time", TOMORROW)), "+15554449003", "_ors");
    assertThat(target.connections()).isZero();
  }

  @Test
  void hosts_off_the_allow_list_and_other_schemes_are_refused_at_admission() throws Exception {
    start();
    assertRefused(server.postJson(BASE + "Ors", request("+15554448001", "_ors", "http://not-allowed.example",
        "_desired_time", TOMORROW)), "+15554448001", "_ors");
    assertRefused(server.postJson(BASE + "Ors", request("+15554448002", "_ors", "http://127.0.0.2:" + target.port())),
        "+15554448002", "_ors");
    for (String url : List.of("file:///etc/passwd", "gopher://allowed.example/x", "http://user:pw@allowed.example/",
        "http://2130706433/", "http://0x7f000001/", "not a url")) {
      assertRefused(server.postJson(BASE + "Push", request("+15554448003", "_device_os", "httpcb",
          "_device_notification_id", url, "_desired_time", TOMORROW)), "+15554448003", "_device_notification_id");
    }
  }

  @Test
  void httpcb_targets_on_refused_literal_addresses_are_refused_at_admission() throws Exception {
    start();
    int n = 0;
    for (String url : REFUSED_LITERALS) {
      String number = "+1555447" + String.format("%04d", ++n);
      assertRefused(server.postJson(BASE + "Push", request(number, "_device_os", "HttpCB",
          "_device_notification_id", url + "/push", "_desired_time", TOMORROW)), number, "_device_notification_id");
    }
    assertRefused(server.postJson(BASE + "Push", request("+15554479001", "_device_os", "httpcb",
        "_device_notification_id", target.url() + "/push")), "+15554479001", "_device_notification_id");
    // the same text is no URL for another channel: accepted
    assertThat(server.postJson(BASE + "Push", request("+15554479002", "_device_os", "comet",
        "_device_notification_id", target.url())).status()).isEqualTo(200);
    assertThat(target.connections()).isZero();
  }

  @Test
  void a_webhook_url_or_message_file_filled_from_the_request_is_refused_at_admission() throws Exception {
    start();
    assertRefused(server.postJson(BASE + "Hook", request("+15554446001", "hook", target.url() + "/hook")),
        "+15554446001", "_webhook_url");
    assertRefused(server.postJson(BASE + "Hook", request("+15554446002", "hook", "http://169.254.169.254/x",
        "_desired_time", TOMORROW)), "+15554446002", "_webhook_url");
    // a path would read a local file, and its first bytes would come back in the refusal
    assertRefused(server.postJson(BASE + "Messages", request("+15554446003", "_device_os", "comet",
        "messages", "/etc/passwd")), "+15554446003", "_notification_message_file");
    assertRefused(server.postJson(BASE + "Messages", request("+15554446004", "_device_os", "comet",
        "messages", target.url() + "/messages.json")), "+15554446004", "_notification_message_file");
    await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> target.connections() == 0);
  }

  @Test
  void put_cannot_make_or_change_an_httpcb_target_the_policy_refuses() throws Exception {
    start();
    Response started = server.postJson(BASE + "Push", request("+15554445001", "_desired_time", TOMORROW));
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    String id = String.valueOf(started.map().get("_id"));

    for (String url : List.of(target.url() + "/push", "http://169.254.169.254/x", "http://[fd00::7]/x")) {
      Response put = server.putJson(BASE + "Push/" + id, Map.of("_device_os", "httpcb", "_device_notification_id", url));
      Map<String, Object> body = Gms.assertError(put, 400, 40040);
      assertThat(String.valueOf(body.get("message"))).contains("_device_notification_id");
    }
    assertThat(server.get(BASE + "Push/" + id).map()).doesNotContainKeys("_device_os", "_device_notification_id");
    assertThat(target.connections()).isZero();
  }

  @Test
  void an_allowed_loopback_target_still_works_at_start_and_put() throws Exception {
    try (FakeReceiver device = FakeReceiver.start(); FakeReceiver hook = FakeReceiver.start()) {
      start("outbound-allowed-ranges: 127.0.0.0/8");
      Response started = server.postJson(BASE + "Push", request("+15554444001", "_device_os", "httpcb",
          "_device_notification_id", device.url() + "/device", "_desired_time", TOMORROW));
      assertThat(started.status()).as(started.body()).isEqualTo(200);
      String id = String.valueOf(started.map().get("_id"));
      Response put = server.putJson(BASE + "Push/" + id, Map.of("_device_notification_id", device.url() + "/other"));
      assertThat(put.status()).as(put.body()).isEqualTo(200);
      assertThat(server.get(BASE + "Push/" + id).map()).containsEntry("_device_notification_id", device.url() + "/other");

      Response handedOver = server.postJson(BASE + "Hook", request("+15554444002", "hook", hook.url() + "/hook"));
      assertThat(handedOver.status()).as(handedOver.body()).isEqualTo(200);
      assertThat(hook.requests("/hook")).hasSize(1);
    }
  }

  @Test
  void a_webhook_url_filled_from_the_request_is_checked_again_at_every_connection() throws Exception {
    try (FakeReceiver hook = FakeReceiver.start(); LogLines log = new LogLines(ConfigWatcher.class)) {
      start("outbound-allowed-ranges: 127.0.0.0/8");
      Response started = server.postJson(BASE + "Hook", request("+15554443001", "hook", hook.url() + "/hook"));
      assertThat(started.status()).as(started.body()).isEqualTo(200);
      String id = String.valueOf(started.map().get("_id"));
      assertThat(hook.requests("/hook")).hasSize(1);
      assertThat(hook.requests("/hook").get(0).header("X-OpenCallback-Signature")).startsWith("sha256=");

      // the operator withdraws the loopback range: the stored URL is refused when the cancel is sent
      Files.writeString(server.configFile(), yaml.replace("  outbound-allowed-ranges: 127.0.0.0/8\n", ""));
      await().atMost(Duration.ofSeconds(20)).until(() ->
          log.lines().stream().anyMatch(line -> line.contains("Configuration reloaded")));
      Response cancelled = server.delete(BASE + "Hook/" + id);
      assertThat(cancelled.body()).contains("outbound-allowed-ranges"); // 500 / 50030: the receiver could not be told

      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> hook.requests("/hook").size() == 1);
    }
  }
}

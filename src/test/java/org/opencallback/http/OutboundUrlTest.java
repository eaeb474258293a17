package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.ConnectionCounter;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.FakeReceiver.Reply;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * SSRF through the API (issue 15 item 4; docs/security.md, "Outbound URLs"): the request-chosen
 * {@code _ors} overwrite and {@code httpcb} target are refused on loopback unless the operator allows
 * them, a refused target is never contacted (a loopback listener counts connections), an allowed
 * loopback target still works, and an ORS error never echoes what the ORS answered. Private and
 * rebinding addresses are covered with a resolver stub in {@code outbound.OutboundHttpTest}: these
 * tests send traffic to 127.0.0.1 only.
 */
class OutboundUrlTest {
  private static final String BASE = "/genesys/1/service/callback/";
  private final FakeReceiver ors = FakeReceiver.start();
  private final FakeReceiver device = FakeReceiver.start();
  private final ConnectionCounter target = ConnectionCounter.start();
  private TestServer server;

  OutboundUrlTest() {
    ors.respond(request -> request.path().equals("/scxml/session/start")
        ? Reply.ok("{\"sessionid\":\"S1\"}")
        : new Reply(500, "{\"error\":\"SECRET-INTERNAL-DETAIL at 10.1.2.3\"}"));
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    ors.close();
    device.close();
    target.close();
  }

  private TestServer start(String... serverOptions) {
    StringBuilder yaml = new StringBuilder("server:\n");
    for (String option : serverOptions) {
      yaml.append("  ").append(option).append('\n');
    }
    yaml.append("callback:\n  _submit_retry_delay: 50ms\n")
        .append("service.Ors:\n  _type: ors\n  _enable_in_queue_checking: false\n  _max_ors_submit_attempts: 1\n")
        .append("  _overwritable_options: _ors\n  _ors: http://ors.invalid:1\n")
        .append("  _callback_scxml_url: http://scxml.invalid/callback.scxml\n")
        .append("service.Push:\n  _type: ors\n  _enable_in_queue_checking: false\n")
        .append("  _notification_message_file: ").append(MESSAGES).append('\n')
        .append("  _max_notify_delivery_attempts: 1\n")
        .append("service.Creds:\n  _type: ors\n  _enable_in_queue_checking: false\n")
        .append("  _ors: ").append(ors.url().replace("http://", "http://ors-user:CredPw-4711@")).append('\n')
        .append("  _callback_scxml_url: http://scxml.invalid/callback.scxml\n")
        .append("engine:\n  agents: 0\n");
    server = TestServer.start(yaml.toString());
    return server;
  }

  /** The bundled message file (GMS's default path). */
  private static final String MESSAGES = "/genesys/1/document/service_template/callback/Resources/Strings/messages.json";

  @Test
  void an_ors_overwrite_on_loopback_is_refused_and_never_contacted() {
    start();
    Response response = server.postJson(BASE + "Ors", Map.of("_customer_number", "+15554440001", "_ors", target.url()));

    Gms.assertError(response, 400, 40040); // refused at admission (OutboundAdmissionTest), nothing stored
    assertThat(target.connections()).isZero();
  }

  @Test
  void an_ors_overwrite_on_a_loopback_name_is_refused_too() {
    start("outbound-allowed-urls: localhost");
    Response response = server.postJson(BASE + "Ors",
        Map.of("_customer_number", "+15554440002", "_ors", "http://localhost:" + target.port()));

    Gms.assertError(response, 400, 40040); // localhost is loopback (RFC 6761): refused without a lookup
    assertThat(target.connections()).isZero();
  }

  @Test
  void an_allowed_loopback_ors_overwrite_works_and_its_errors_do_not_echo_the_answer() {
    start("outbound-allowed-urls: http://127.0.0.1", "outbound-allowed-ranges: 127.0.0.1");
    Response started = server.postJson(BASE + "Ors", Map.of("_customer_number", "+15554440003", "_ors", ors.url()));
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    String id = String.valueOf(started.map().get("_id"));
    assertThat(ors.requests("/scxml/session/start")).hasSize(1);

    Response position = server.postJson("/genesys/1/service/" + id + "/check-queue-position", Map.of());

    assertThat(position.status()).isEqualTo(500);
    assertThat(ors.requests("/scxml/session/S1/request/check-queue-position")).hasSize(1);
    assertThat(position.body()).contains("500").doesNotContain("SECRET").doesNotContain("10.1.2.3");
  }

  @Test
  void an_httpcb_target_on_loopback_is_refused_and_never_contacted() {
    start("outbound-allowed-urls: http://127.0.0.1");
    Response response = server.postJson(BASE + "Push", Map.of("_customer_number", "+15554440004",
        "_device_os", "httpcb", "_device_notification_id", target.url() + "/device"));

    Gms.assertError(response, 400, 40040); // refused at admission, nothing stored
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> target.connections() == 0);
  }

  @Test
  void an_allowed_loopback_httpcb_target_gets_its_notification() {
    start("outbound-allowed-urls: http://127.0.0.1", "outbound-allowed-ranges: 127.0.0.0/8");
    Response response = server.postJson(BASE + "Push", Map.of("_customer_number", "+15554440005",
        "_device_os", "httpcb", "_device_notification_id", device.url() + "/device"));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> !device.requests("/device").isEmpty());
  }

  @Test
  void an_outbound_option_that_is_not_a_url_pattern_is_a_configuration_error() {
    for (String bad : List.of("outbound-allowed-urls: ftp://x", "outbound-allowed-ranges: 10.0.0.0/99")) {
      try {
        start(bad).close();
        server = null;
        throw new AssertionError("accepted: " + bad);
      } catch (IllegalStateException expected) {
        assertThat(expected.getMessage()).contains(bad.substring(0, bad.indexOf(':')));
      }
    }
  }

  @Test
  void an_engine_error_never_shows_the_credentials_of_the_operators_url() {
    start();
    Response started = server.postJson(BASE + "Creds", Map.of("_customer_number", "+15554440006"));
    assertThat(started.status()).as(started.body()).isEqualTo(200);
    String id = String.valueOf(started.map().get("_id"));

    Response position = server.postJson("/genesys/1/service/" + id + "/check-queue-position", Map.of());
    Response cancel = server.delete(BASE + "Creds/" + id);

    for (Response failed : List.of(position, cancel)) {
      Gms.assertError(failed, 500, 50030);
      assertThat(failed.body()).doesNotContain("CredPw-4711").doesNotContain("ors-user").doesNotContain("SECRET");
    }
  }
}

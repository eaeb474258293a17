package org.opencallback.engine.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Times;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.FakeReceiver.Reply;
import org.opencallback.testing.FakeReceiver.Request;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** The webhook engine end to end: real server, a fake receiver checking the wire format. */
class WebhookEngineTest {
  private static final String BASE = "/genesys/1/service/callback/";
  private static final String SECRET = "s3cret";
  private final FakeReceiver receiver = FakeReceiver.start();
  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    receiver.close();
  }

  private static String service(String name, String url) {
    return String.join("\n",
        "service." + name + ":",
        "  _type: ors",
        "  _execution: webhook",
        "  _webhook_url: " + url,
        "  _webhook_secret: " + SECRET,
        "  _webhook_timeout: 2s",
        "  _enable_in_queue_checking: false",
        "  _request_execution_time_buffer: 0",
        "");
  }

  private TestServer start(String... services) {
    server = TestServer.start("callback:\n  _submit_retry_delay: 100ms\n" + String.join("", services) + "engine:\n  agents: 0\n");
    return server;
  }

  private static String hmac(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    StringBuilder hex = new StringBuilder();
    for (byte b : mac.doFinal(body)) {
      hex.append(String.format("%02x", b));
    }
    return "sha256=" + hex;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return (Map<String, Object>) value;
  }

  private Map<String, Object> callback(String service, String id) {
    return server.get(BASE + service + "/" + id).map();
  }

  @Test
  void an_immediate_callback_is_posted_signed_and_the_receiver_reports_back_with_put() throws Exception {
    start(service("Hook", receiver.url() + "/hook"));
    Response started = server.postJson(BASE + "Hook", Map.of("_customer_number", "+15551230001", "CRM_ID", "c-42"));
    assertThat(started.status()).isEqualTo(200);
    String id = String.valueOf(started.map().get("_id"));

    // handed over during the request
    List<Request> due = receiver.requests("/hook");
    assertThat(due).hasSize(1);
    Request request = due.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("Content-Type")).startsWith("application/json");
    assertThat(request.header("X-OpenCallback-Event")).isEqualTo("callback.due");
    assertThat(request.header("X-OpenCallback-Signature")).isEqualTo(hmac(request.body()));
    Map<String, Object> body = request.json();
    assertThat(body).containsEntry("event", "callback.due").containsEntry("_id", id)
        .containsEntry("_service_name", "Hook").containsEntry("_customer_number", "+15551230001")
        .containsEntry("_callback_state", "QUEUED")
        .containsEntry("report_url", "http://localhost:" + server.server().port() + BASE + "Hook/" + id);
    assertThat(String.valueOf(body.get("_desired_time"))).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    assertThat(map(body.get("properties"))).containsEntry("CRM_ID", "c-42");
    assertThat(map(body.get("user_data"))).containsEntry("CRM_ID", "c-42").doesNotContainKey("_customer_number");
    await().atMost(Duration.ofSeconds(5)).until(() -> callback("Hook", id).containsKey("_webhook_delivered_at"));

    // the receiver drives the callback with the usual PUT
    String reportPath = String.valueOf(body.get("report_url")).replaceFirst("^http://[^/]+", "");
    assertThat(server.putJson(reportPath, Map.of("_callback_state", "ROUTING")).status()).isEqualTo(200);
    assertThat(server.putJson(reportPath, Map.of("_callback_state", "PROCESSING")).status()).isEqualTo(200);
    assertThat(server.putJson(reportPath, Map.of("_callback_state", "COMPLETED", "_callback_reason", "AGENT_CONNECTED")).status())
        .isEqualTo(200);
    assertThat(callback("Hook", id)).containsEntry("_callback_state", "COMPLETED").containsEntry("_callback_reason", "AGENT_CONNECTED");
    assertThat(receiver.requests("/hook")).hasSize(1);
  }

  @Test
  void a_scheduled_callback_is_posted_when_it_falls_due() {
    start(service("Hook", receiver.url() + "/hook"));
    Instant desired = Instant.now().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
    String id = String.valueOf(server.postJson(BASE + "Hook",
        Map.of("_customer_number", "+15551230002", "_desired_time", Times.format(desired))).map().get("_id"));
    assertThat(callback("Hook", id)).containsEntry("_callback_state", "SCHEDULED");
    assertThat(receiver.requests("/hook")).isEmpty();

    await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests("/hook").size() == 1);
    assertThat(receiver.requests("/hook").get(0).json()).containsEntry("_id", id).containsEntry("_callback_state", "QUEUED");
    assertThat(callback("Hook", id)).containsEntry("_callback_state", "QUEUED");
  }

  @Test
  void cancel_is_sent_as_an_event_and_a_failure_answers_50030_unless_discarded() throws Exception {
    start(service("Hook", receiver.url() + "/hook"));
    String first = String.valueOf(server.postJson(BASE + "Hook", Map.of("_customer_number", "+15551230003")).map().get("_id"));
    assertThat(server.delete(BASE + "Hook/" + first).status()).isEqualTo(200);
    Request cancel = receiver.requests("/hook").get(1);
    assertThat(cancel.header("X-OpenCallback-Event")).isEqualTo("callback.cancelled");
    assertThat(cancel.header("X-OpenCallback-Signature")).isEqualTo(hmac(cancel.body()));
    assertThat(cancel.json()).containsEntry("event", "callback.cancelled").containsEntry("_id", first);
    assertThat(callback("Hook", first)).containsEntry("_callback_reason", "CANCELLED");

    String second = String.valueOf(server.postJson(BASE + "Hook", Map.of("_customer_number", "+15551230004")).map().get("_id"));
    receiver.respond(request -> new Reply(503, "{}"));
    Response refused = server.delete(BASE + "Hook/" + second);
    assertThat(refused.status()).isEqualTo(500);
    assertThat(refused.code()).isEqualTo(50030);
    assertThat(callback("Hook", second)).containsEntry("_callback_state", "QUEUED");
    assertThat(server.delete(BASE + "Hook/" + second + "?discard_ors_failure=true").status()).isEqualTo(200);
    assertThat(callback("Hook", second)).containsEntry("_callback_state", "COMPLETED");
  }

  @Test
  void an_immediate_start_whose_hand_off_keeps_failing_answers_50006_and_ends_submit_failed() {
    start(service("Hook", receiver.url() + "/hook"));
    receiver.respond(request -> new Reply(500, "{}"));
    Response refused = server.postJson(BASE + "Hook", Map.of("_customer_number", "+15551230005"));

    assertThat(refused.status()).isEqualTo(500);
    assertThat(refused.code()).isEqualTo(50006);
    Map<?, ?> properties = (Map<?, ?>) refused.map().get("properties");
    String id = String.valueOf(properties.get("id"));
    assertThat(refused.message()).isEqualTo("Callback " + id + " reached maximum attempts to submit to ORS reached (3)");
    assertThat(properties.get("max-attempts")).isEqualTo(3);
    assertThat(receiver.requests("/hook")).hasSize(3);
    assertThat(callback("Hook", id)).containsEntry("_callback_state", "COMPLETED").containsEntry("_callback_reason", "SUBMIT_FAILED");
  }

  @Test
  void a_due_callback_is_retried_with_back_off_and_handed_over_exactly_once() {
    start(service("Hook", receiver.url() + "/hook"), service("Dead", FakeReceiver.deadUrl() + "/hook"));
    AtomicInteger calls = new AtomicInteger();
    receiver.respond(request -> calls.incrementAndGet() <= 2 ? new Reply(502, "{}") : Reply.ok("{}"));
    String desired = Times.format(Instant.now().plusSeconds(1));
    String flaky = String.valueOf(server.postJson(BASE + "Hook",
        Map.of("_customer_number", "+15551230006", "_desired_time", desired)).map().get("_id"));
    String dead = String.valueOf(server.postJson(BASE + "Dead",
        Map.of("_customer_number", "+15551230007", "_desired_time", desired)).map().get("_id"));

    await().atMost(Duration.ofSeconds(10)).until(() -> "SUBMIT_FAILED".equals(callback("Dead", dead).get("_callback_reason")));
    await().atMost(Duration.ofSeconds(10)).until(() -> callback("Hook", flaky).containsKey("_webhook_delivered_at"));
    assertThat(receiver.requests("/hook")).hasSize(3);
    assertThat(callback("Hook", flaky)).containsEntry("_callback_state", "QUEUED");
    assertThat(callback("Dead", dead)).containsEntry("_callback_state", "COMPLETED");
  }

  @Test
  void a_receiver_that_hangs_does_not_hold_back_another_service() {
    FakeReceiver slow = FakeReceiver.start();
    try {
      slow.respond(request -> {
        try {
          Thread.sleep(3000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return Reply.ok("{}");
      });
      start(service("Slow", slow.url() + "/hook"), service("Hook", receiver.url() + "/hook"));
      String desired = Times.format(Instant.now().plusSeconds(1));
      for (int i = 0; i < 8; i++) {
        server.postJson(BASE + "Slow", Map.of("_customer_number", "+1555123010" + i, "_desired_time", desired));
      }
      String fast = String.valueOf(server.postJson(BASE + "Hook",
          Map.of("_customer_number", "+15551230200", "_desired_time", desired)).map().get("_id"));

      // every Slow hand-off thread is stuck; Hook's callback still goes at once
      await().atMost(Duration.ofMillis(2500)).until(() -> receiver.requests("/hook").size() == 1);
      assertThat(receiver.requests("/hook").get(0).json()).containsEntry("_id", fast);
      long started = System.nanoTime();
      assertThat(server.postJson(BASE + "Hook", Map.of("_customer_number", "+15551230201")).status()).isEqualTo(200);
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(1));
    } finally {
      server.close();
      server = null;
      slow.close();
    }
  }
}

package org.opencallback.engine.ors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.FakeReceiver.Reply;
import org.opencallback.testing.FakeReceiver.Request;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** The Orchestration Server engine end to end against a fake ORS that checks the wire format. */
class OrsEngineTest {
  private static final String BASE = "/genesys/1/service/callback/";
  private static final String START = "/scxml/session/start";
  /** Where the operator deployed GMS's callback application (the callback section names it). */
  private static final String GMS_APPLICATION = "http://apps/gms/callback/main.scxml";
  private final FakeReceiver ors = FakeReceiver.start();
  private final AtomicInteger sessions = new AtomicInteger();
  private TestServer server;

  OrsEngineTest() {
    ors.respond(this::fakeOrs);
  }

  /** Starts sessions S1, S2, …; answers the queue position of any session. */
  private Reply fakeOrs(Request request) {
    if (request.path().equals(START)) {
      return Reply.ok("{\"sessionid\":\"S" + sessions.incrementAndGet() + "\"}");
    }
    if (request.path().endsWith("/request/check-queue-position")) {
      return Reply.ok("{\"ewt\":\"12\",\"position\":3}");
    }
    return Reply.ok("{}");
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    ors.close();
  }

  private TestServer start(String... services) {
    server = TestServer.start("callback:\n  _submit_retry_delay: 100ms\n  _callback_scxml_url: " + GMS_APPLICATION + "\n"
        + String.join("", services) + "engine:\n  agents: 0\n");
    return server;
  }

  private static String service(String name, String... lines) {
    return "service." + name + ":\n  _type: ors\n  _enable_in_queue_checking: false\n"
        + String.join("", List.of(lines).stream().map(line -> "  " + line + "\n").toList());
  }

  private Map<String, Object> callback(String service, String id) {
    return server.get(BASE + service + "/" + id).map();
  }

  private String startCallback(String service, Map<String, Object> request) {
    Response response = server.postJson(BASE + service, request);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return String.valueOf(response.map().get("_id"));
  }

  @Test
  void an_immediate_start_opens_an_ors_session_the_way_gms_does() {
    start(service("Ors", "_ors: " + ors.url(), "_service: http://apps/callback.scxml", "_wait_for_agent: false",
        "_urs_virtual_queue: VQ_Sales", "password: secret"));
    // the service's password protects its endpoints (GMS): the client sends it
    server.withCredentials("client", "secret");
    String id = startCallback("Ors", Map.of("_customer_number", "+15552220001", "CRM_ID", "c-1"));

    List<Request> starts = ors.requests(START);
    assertThat(starts).hasSize(1);
    Request request = starts.get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.header("Content-Type")).startsWith("application/x-www-form-urlencoded");
    Map<String, String> form = request.form();
    assertThat(form).containsEntry("src", "http://apps/callback.scxml")
        .containsEntry("_wait_for_agent", "false").containsEntry("_urs_virtual_queue", "VQ_Sales")
        .containsEntry("CRM_ID", "c-1").containsEntry("_id", id).containsEntry("_customer_number", "+15552220001")
        .containsEntry("_service_name", "Ors")
        .containsEntry("_url", "http://localhost:" + server.server().port() + BASE + "Ors/" + id)
        .doesNotContainKey("password");
    assertThat(form.keySet().iterator().next()).isEqualTo("src");

    assertThat(callback("Ors", id)).containsEntry("_ors_session_id", "S1").containsEntry("_callback_state", "QUEUED");
    // ORS reports progress with the usual PUT
    assertThat(server.putJson(BASE + "Ors/" + id, Map.of("_callback_state", "PROCESSING", "_reason", "")).status()).isEqualTo(200);
    assertThat(server.putJson(BASE + "Ors/" + id,
        Map.of("_callback_state", "COMPLETED", "_callback_reason", "AGENT_CONNECTED")).status()).isEqualTo(200);
    assertThat(callback("Ors", id)).containsEntry("_callback_reason", "AGENT_CONNECTED");
  }

  @Test
  void ors_set_without_execution_selects_ors_service_callback_runs_the_callback_application_and_an_id_answer_is_accepted() {
    ors.respond(request -> Reply.ok("{\"id\":\"abc-7\"}"));
    start(service("Ors", "_ors: " + ors.url() + "/"));
    String id = startCallback("Ors", Map.of("_customer_number", "+15552220002"));
    assertThat(ors.requests(START).get(0).form()).containsEntry("src", GMS_APPLICATION);
    assertThat(callback("Ors", id)).containsEntry("_ors_session_id", "abc-7");
  }

  @Test
  void queue_position_is_asked_of_the_session_and_a_dead_session_answers_404_not_found() {
    start(service("Ors", "_execution: ors", "_ors: " + ors.url()));
    String id = startCallback("Ors", Map.of("_customer_number", "+15552220003"));

    Response position = server.postJson("/genesys/1/service/" + id + "/check-queue-position", Map.of());
    assertThat(position.status()).isEqualTo(200);
    assertThat(position.map()).containsEntry("position", 3).containsEntry("ewt", 12.0);
    assertThat(ors.requests("/scxml/session/S1/request/check-queue-position")).hasSize(1);

    ors.respond(request -> new Reply(404, "{}"));
    Response dead = server.postJson("/genesys/1/service/" + id + "/check-queue-position", Map.of());
    assertThat(dead.status()).isEqualTo(500);
    assertThat(dead.body()).contains("404 Not Found");
  }

  @Test
  void cancel_sends_the_cancel_event_to_the_session_and_an_ors_failure_answers_50030() {
    start(service("Ors", "_ors: " + ors.url()));
    String first = startCallback("Ors", Map.of("_customer_number", "+15552220004"));
    assertThat(server.delete(BASE + "Ors/" + first).status()).isEqualTo(200);
    assertThat(ors.requests("/scxml/session/S1/event/cancel")).hasSize(1);
    assertThat(callback("Ors", first)).containsEntry("_callback_reason", "CANCELLED");

    String second = startCallback("Ors", Map.of("_customer_number", "+15552220005"));
    ors.respond(request -> new Reply(500, "{}"));
    Response refused = server.delete(BASE + "Ors/" + second);
    assertThat(refused.status()).isEqualTo(500);
    assertThat(refused.code()).isEqualTo(50030);
    assertThat(server.delete(BASE + "Ors/" + second + "?discard_ors_failure=true").status()).isEqualTo(200);
    assertThat(callback("Ors", second)).containsEntry("_callback_state", "COMPLETED");
  }

  @Test
  void several_ors_are_used_in_turn_circular_or_the_first_that_works_linear() {
    try (FakeReceiver other = FakeReceiver.start()) {
      other.respond(this::fakeOrs);
      String dead = FakeReceiver.deadUrl();
      start(service("Circular", "_ors: " + ors.url() + "," + other.url(), "_ors_lb_strategy: circular"),
          service("Linear", "_ors: " + dead + "," + other.url(), "_ors_lb_strategy: linear"));
      for (int i = 0; i < 4; i++) {
        startCallback("Circular", Map.of("_customer_number", "+1555222010" + i));
      }
      assertThat(ors.requests(START)).hasSize(2);
      assertThat(other.requests(START)).hasSize(2);

      String id = startCallback("Linear", Map.of("_customer_number", "+15552220200"));
      assertThat(other.requests(START)).hasSize(3);
      // the ORS that holds the session is server-owned state, not shown (docs/security.md)
      assertThat(callback("Linear", id)).doesNotContainKey("_ors_url");
      // cancel goes to the ORS that holds the session
      assertThat(server.delete(BASE + "Linear/" + id).status()).isEqualTo(200);
      assertThat(other.requests("/scxml/session/")).anyMatch(r -> r.path().endsWith("/event/cancel"));
    }
  }

  @Test
  void ors_down_at_due_time_ends_submit_failed_after_the_attempts() {
    start(service("Ors", "_ors: " + FakeReceiver.deadUrl(), "_request_execution_time_buffer: 0"));
    String id = startCallback("Ors", Map.of("_customer_number", "+15552220006",
        "_desired_time", org.opencallback.domain.Times.format(java.time.Instant.now().plusSeconds(1))));
    assertThat(callback("Ors", id)).containsEntry("_callback_state", "SCHEDULED");
    await().atMost(Duration.ofSeconds(10)).until(() -> "SUBMIT_FAILED".equals(callback("Ors", id).get("_callback_reason")));
  }
}

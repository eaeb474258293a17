package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.opencallback.http.admin.AdminHttp.SERVICE;
import static org.opencallback.http.admin.AdminHttp.body;
import static org.opencallback.http.admin.AdminHttp.header;
import static org.opencallback.http.admin.AdminHttp.number;
import static org.opencallback.http.admin.AdminHttp.startQueued;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** /metrics, the access and callback logs, and reporting events (log and webhook). */
class OperationsTest {
  private static final List<Map<String, Object>> RECEIVED = new CopyOnWriteArrayList<>();
  private static HttpServer receiver;
  private static TestServer server;

  @BeforeAll
  static void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext("/events", exchange -> {
      String text = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      RECEIVED.add(TestServer.JSON.readValue(text, new com.fasterxml.jackson.core.type.TypeReference<>() {}));
      exchange.sendResponseHeaders(204, -1);
      exchange.close();
    });
    receiver.start();
    server = TestServer.start(String.join("\n",
        "server:",
        "  reporting-webhook: http://127.0.0.1:" + receiver.getAddress().getPort() + "/events",
        "service.Ops:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "engine:",
        "  agents: 0",
        ""));
  }

  @AfterAll
  static void stop() {
    server.close();
    receiver.stop(0);
  }

  @Test
  void metrics_are_prometheus_text_with_requests_callbacks_and_per_state_gauges() {
    String id = startQueued(server, "Ops", number());
    assertThat(server.delete(SERVICE + "/Ops/" + id).status()).isEqualTo(200);
    startQueued(server, "Ops", number());
    assertThat(server.postJson(SERVICE + "/Ops", body("_customer_number", "")).status()).isEqualTo(400);
    assertThat(server.postJson(SERVICE + "/NoSuchService", body("_customer_number", number())).status())
        .isEqualTo(404);
    assertThat(server.get("/no/such/path").status()).isEqualTo(404);

    Response response = server.get("/metrics");

    assertThat(response.status()).isEqualTo(200);
    assertThat(header(response, "Content-Type")).startsWith("text/plain");
    assertThat(response.body())
        .contains("opencallback_callbacks_accepted_total{service=\"Ops\"}")
        .containsPattern("opencallback_callbacks_rejected_total\\{code=\"400\\d0\",service=\"Ops\"}")
        .contains("opencallback_callbacks_rejected_total{code=\"40010\",service=\"unknown\"}")
        .containsPattern("opencallback_callbacks_completed_total\\{reason=\"CANCELLED\",service=\"Ops\"} [1-9]")
        .containsPattern("opencallback_callbacks_stored\\{service=\"Ops\",state=\"QUEUED\"} [1-9]")
        .containsPattern("opencallback_callbacks_stored\\{service=\"Ops\",state=\"COMPLETED\"} [1-9]")
        .contains("opencallback_callbacks_stored{service=\"Ops\",state=\"SCHEDULED\"} 0.0")
        .containsPattern("http_server_requests_seconds_count\\{method=\"POST\",status=\"200\","
            + "uri=\"/genesys/1/service/callback/\\{svc}\"} \\d")
        .contains("uri=\"NOT_FOUND\"")
        .containsPattern("opencallback_store_insert_transactions_total [1-9]")
        .containsPattern("opencallback_store_inserts_grouped_total [1-9]")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void every_request_gets_one_access_log_line_and_every_state_change_a_callback_line() {
    try (LogCapture access = new LogCapture("opencallback.access");
        LogCapture callbacks = new LogCapture("opencallback.callbacks")) {
      String id = startQueued(server, "Ops", number());
      server.delete(SERVICE + "/Ops/" + id + "?secret=do-not-log");

      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(access.messages()).hasSize(2));
      assertThat(access.messages().get(0)).matches("POST /genesys/1/service/callback/Ops 200 \\d+ms 127\\.0\\.0\\.1");
      assertThat(access.messages().get(1)).startsWith("DELETE /genesys/1/service/callback/Ops/" + id + " 200 ")
          .doesNotContain("do-not-log");
      assertThat(callbacks.messages()).containsExactly(
          callbacks.messages().get(0),
          "Callback " + id + " of Ops: QUEUED -> COMPLETED (CANCELLED)");
      assertThat(callbacks.messages().get(0)).startsWith("Callback " + id + " of Ops accepted: QUEUED");
    }
  }

  @Test
  void accepted_rejected_and_changed_callbacks_are_reported_to_the_log_and_the_webhook() {
    try (LogCapture events = new LogCapture("opencallback.events")) {
      String id = startQueued(server, "Ops", number());
      server.delete(SERVICE + "/Ops/" + id);
      server.postJson(SERVICE + "/Ops", body("_customer_number", "", "marker", id));

      assertThat(events.messages()).hasSize(3);
      assertThat(events.messages().get(0)).startsWith("{\"event\":\"accepted\"").contains(id);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
        assertThat(RECEIVED).anySatisfy(e -> assertThat(e)
            .containsEntry("event", "accepted").containsEntry("_id", id).containsEntry("_callback_state", "QUEUED")
            .containsEntry("_service_name", "Ops"));
        assertThat(RECEIVED).anySatisfy(e -> assertThat(e)
            .containsEntry("event", "state_changed").containsEntry("_id", id)
            .containsEntry("previous_state", "QUEUED").containsEntry("_callback_state", "COMPLETED")
            .containsEntry("_callback_reason", "CANCELLED"));
        assertThat(RECEIVED).anySatisfy(e -> assertThat(e)
            .containsEntry("event", "rejected").containsEntry("_service_name", "Ops").containsKey("code"));
      });
    }
  }
}

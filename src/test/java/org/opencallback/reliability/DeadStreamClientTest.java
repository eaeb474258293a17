package org.opencallback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.AgentEventStream;
import org.opencallback.testing.TestServer;

/**
 * Event streams off the hot path (issue 16 item 7, docs/reliability.md): a client that subscribes
 * and never reads fills its TCP buffers; the engine's reports and every other agent's events go on,
 * and the dead stream is dropped and counted. Streams are known by route, not by header: a normal
 * request that asks for {@code text/event-stream} is shed like the others.
 */
class DeadStreamClientTest {
  private static final String AGENTS = "/genesys/1/engine/agents";

  @Test
  void a_client_that_never_reads_its_stream_stalls_neither_reports_nor_other_agents() throws Exception {
    try (TestServer server = TestServer.start(String.join("\n",
        "server:", "  event-stream-queue: 32",
        "service.S:", "  _type: ors", "  _enable_in_queue_checking: false",
        "engine:", "  agents: 0", "  ring_time: 10ms", "  talk_time: 1h", ""));
        Socket dead = new Socket()) {
      assertThat(server.postJson(AGENTS + "/dead/login", Map.of("services", List.of("Other"))).status()).isEqualTo(200);
      // subscribes, then never reads: a small receive window, so the server's writes block soon
      dead.setReceiveBufferSize(4096);
      dead.connect(new InetSocketAddress("127.0.0.1", server.server().port()));
      OutputStream out = dead.getOutputStream();
      out.write(("GET " + AGENTS + "/dead/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
          + "Authorization: " + TestServer.adminAuthorization() + "\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      await().atMost(Duration.ofSeconds(10)).until(() -> openStreams(server) >= 1);

      // several megabytes of events for the dead client: far more than its socket buffers hold
      String padding = "x".repeat(40_000);
      for (int i = 0; i < 150; i++) {
        assertThat(server.postJson(AGENTS + "/dead/notready", Map.of("reason", i + padding)).status()).isEqualTo(200);
      }

      assertThat(server.postJson(AGENTS + "/live/login", Map.of("services", List.of("S"))).status()).isEqualTo(200);
      try (AgentEventStream live = AgentEventStream.open(server, "live")) {
        assertThat(server.postJson(AGENTS + "/live/ready", Map.of()).status()).isEqualTo(200);
        for (int i = 0; i < 3; i++) {
          TestServer.Response started = server.postJson("/genesys/1/service/callback/S",
              Map.of("_customer_number", "+1617555" + (1000 + i)));
          assertThat(started.status()).as(started.body()).isEqualTo(200);
          String id = String.valueOf(started.map().get("_id"));
          // the other agent's events and the engine's reports keep flowing
          assertThat(live.next("CallbackConnectedEvent", Duration.ofSeconds(5))).containsEntry("_id", id);
          await().atMost(Duration.ofSeconds(5)).until(() -> state(server, id).equals("PROCESSING"));
          assertThat(server.postJson(AGENTS + "/live/hangup", Map.of()).status()).isEqualTo(200);
          await().atMost(Duration.ofSeconds(5)).until(() -> state(server, id).equals("COMPLETED"));
          assertThat(server.postJson(AGENTS + "/live/ready", Map.of()).status()).isIn(200, 400);
        }
      }
      // the dead client was dropped, counted and logged; its place is given back
      await().atMost(Duration.ofSeconds(10)).until(() -> metric(server, "opencallback_event_streams_dropped_total") >= 1);
    }
  }

  @Test
  void a_normal_request_asking_for_an_event_stream_is_shed_like_any_other() throws Exception {
    int limit = 2;
    try (TestServer server = TestServer.start("server:\n  max-concurrent-requests: " + limit
        + "\nservice.S:\n  _type: ors\nengine:\n  agents: 0\n")) {
      List<Socket> slow = new ArrayList<>();
      try {
        for (int i = 0; i < limit + 2; i++) {
          Socket socket = new Socket("127.0.0.1", server.server().port());
          socket.getOutputStream().write(("POST /genesys/1/service/callback/S HTTP/1.1\r\nHost: x\r\n"
              + "Content-Type: application/json\r\nContent-Length: 200\r\n\r\n{\"_customer_number\":")
              .getBytes(StandardCharsets.US_ASCII));
          socket.getOutputStream().flush();
          slow.add(socket);
        }
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest disguised = HttpRequest.newBuilder(
                URI.create(server.base() + "/genesys/1/service/callback/S?_customer_number=%2B16175550100"))
            .header("Accept", "text/event-stream").GET().build();
        await().atMost(Duration.ofSeconds(10))
            .until(() -> client.send(disguised, HttpResponse.BodyHandlers.ofString()).statusCode() == 503);
      } finally {
        for (Socket socket : slow) {
          socket.close();
        }
      }
    }
  }

  private static String state(TestServer server, String id) {
    return org.opencallback.testing.Gms.state(server, "S", id);
  }

  private static int openStreams(TestServer server) {
    return (int) metric(server, "opencallback_event_streams_open");
  }

  private static double metric(TestServer server, String name) {
    for (String line : server.get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return 0;
  }
}

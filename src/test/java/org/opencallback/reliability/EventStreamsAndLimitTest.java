package org.opencallback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;

/** Open event streams must not hold the request limit: agents stay connected for hours. */
class EventStreamsAndLimitTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();

  @Test
  void open_agent_event_streams_do_not_count_against_max_concurrent_requests() {
    try (TestServer server = TestServer.start(
        "server:\n  max-concurrent-requests: 2\nservice.S:\n  _type: ors\nengine:\n  agents: 0\n")) {
      List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
      for (String agent : List.of("a1", "a2", "a3")) {
        assertThat(server.postJson("/genesys/1/engine/agents/" + agent + "/login", Map.of()).status()).isEqualTo(200);
        streams.add(CLIENT.sendAsync(
            HttpRequest.newBuilder(URI.create(server.base() + "/genesys/1/engine/agents/" + agent + "/events"))
                .header("Accept", "text/event-stream").header("Authorization", TestServer.adminAuthorization()).GET().build(),
            HttpResponse.BodyHandlers.ofLines()));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> streams.stream().allMatch(CompletableFuture::isDone));
      assertThat(streams).allSatisfy(s -> assertThat(s.join().statusCode()).isEqualTo(200));

      assertThat(server.get("/genesys/1/engine/agents").status()).isEqualTo(200);
      assertThat(server.postJson("/genesys/1/service/callback/S", Map.of("_customer_number", "+16175550142")).status())
          .isEqualTo(200);
      streams.forEach(s -> s.join().body().close());
    }
  }

  @Test
  void hundreds_of_open_customer_page_streams_hold_no_server_thread_each() {
    try (TestServer server = TestServer.start("service.S:\n  _type: ors\nengine:\n  agents: 0\n")) {
      String id = String.valueOf(server.postJson("/genesys/1/service/callback/S",
          Map.of("_customer_number", "+16175550143")).map().get("_id"));
      int open = 400; // more than Jetty's thread pool (Javalin's default: 250 at most)
      List<CompletableFuture<HttpResponse<Stream<String>>>> streams = new ArrayList<>();
      for (int i = 0; i < open; i++) {
        streams.add(CLIENT.sendAsync(
            HttpRequest.newBuilder(URI.create(server.base() + "/genesys/1/notification/callback/" + id + "/events"))
                .header("Accept", "text/event-stream").GET().build(),
            HttpResponse.BodyHandlers.ofLines()));
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> streams.stream().allMatch(CompletableFuture::isDone));
      assertThat(streams).allSatisfy(s -> assertThat(s.join().statusCode()).isEqualTo(200));

      long jettyThreads = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().startsWith("JettyServerThreadPool")).count();
      assertThat(jettyThreads).isLessThan(open);
      assertThat(server.postJson("/genesys/1/service/callback/S", Map.of("_customer_number", "+16175550144")).status())
          .isEqualTo(200);
      streams.forEach(s -> s.join().body().close());
    }
  }
}

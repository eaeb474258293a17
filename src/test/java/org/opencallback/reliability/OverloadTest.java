package org.opencallback.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.FakeReceiver;
import org.opencallback.testing.TestServer;

/**
 * Issue 10, reliability 2: past {@code [server] max-concurrent-requests} the server sheds load with 503
 * and a GMS error body, keeps answering {@code /health/live}, and recovers when the load is gone.
 */
class OverloadTest {
  private static final int LIMIT = 3;

  @Test
  void sheds_load_beyond_the_limit_and_recovers() throws Exception {
    try (TestServer server = TestServer.start(String.join("\n",
        "server:",
        "  max-concurrent-requests: " + LIMIT,
        "service.S:",
        "  _type: ors",
        ""))) {
      List<Socket> slow = new ArrayList<>();
      try {
        // each holds a request in progress: headers sent, the body promised but not yet sent
        // a few more than the limit: on a loaded machine a probe may slip in between them
        for (int i = 0; i < LIMIT + 2; i++) {
          Socket socket = new Socket("127.0.0.1", server.server().port());
          OutputStream out = socket.getOutputStream();
          out.write(("POST /genesys/1/service/callback/S HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: 200\r\n\r\n{\"_customer_number\":").getBytes(StandardCharsets.US_ASCII));
          out.flush();
          slow.add(socket);
        }
        Thread.sleep(300);
        TestServer.Response refused = null;
        for (int attempt = 0; attempt < 100; attempt++) {
          refused = server.get("/genesys/1/service/callback/S?_customer_number=%2B16175550100");
          if (refused.status() == 503) {
            break;
          }
          Thread.sleep(50);
        }
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.code()).isEqualTo(50050);
        assertThat(refused.message()).contains("overloaded");
        assertThat(refused.map()).containsKeys("phrase", "exception", "properties");
        assertThat(refused.headers().get("retry-after")).containsExactly("1");
        assertThat(server.postJson("/genesys/1/service/callback/S", Map.of("_customer_number", "+16175550101")).status())
            .isEqualTo(503);

        TestServer.Response live = server.get("/health/live");
        assertThat(live.status()).isEqualTo(200);
        assertThat(server.get("/health/ready").status()).isEqualTo(200);
      } finally {
        for (Socket socket : slow) {
          socket.close();
        }
      }

      TestServer.Response recovered = null;
      for (int attempt = 0; attempt < 100; attempt++) {
        recovered = server.postJson("/genesys/1/service/callback/S", Map.of("_customer_number", "+16175550102"));
        if (recovered.status() != 503) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(recovered.status()).as(recovered.body()).isEqualTo(200);
      assertThat(server.get("/genesys/1/service/callback/S?_customer_number=%2B16175550102").status()).isEqualTo(200);
    }
  }

  @Test
  void starts_held_by_a_stalled_engine_shed_the_others_and_complete_once_it_answers() throws Exception {
    java.util.concurrent.CountDownLatch answer = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.ExecutorService clients = java.util.concurrent.Executors.newFixedThreadPool(2);
    try (FakeReceiver receiver = FakeReceiver.start();
        TestServer server = TestServer.start(String.join("\n",
            "server:",
            "  max-concurrent-requests: 2",
            "service.S:",
            "  _type: ors",
            "  _execution: webhook",
            "  _webhook_url: " + receiver.url() + "/hook",
            "  _enable_in_queue_checking: false",
            ""))) {
      receiver.respond(request -> {
        try {
          answer.await(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return FakeReceiver.Reply.ok("{}");
      });
      // two immediate starts wait in their hand-off to the receiver: every permit is taken
      List<java.util.concurrent.Future<TestServer.Response>> held = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        String number = "+1617555020" + i;
        held.add(clients.submit(() -> server.postJson("/genesys/1/service/callback/S", Map.of("_customer_number", number))));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> receiver.requests("/hook").size() == 2);

      TestServer.Response refused = server.postJson("/genesys/1/service/callback/S", Map.of("_customer_number", "+16175550210"));
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(refused.code()).isEqualTo(50050);
      assertThat(refused.map()).containsKeys("phrase", "message", "exception", "properties");
      assertThat(server.get("/health/live").status()).isEqualTo(200);

      // the engine answers: the held starts complete, and the server takes new ones again
      answer.countDown();
      for (java.util.concurrent.Future<TestServer.Response> start : held) {
        assertThat(start.get(10, java.util.concurrent.TimeUnit.SECONDS).status()).isEqualTo(200);
      }
      assertThat(server.postJson("/genesys/1/service/callback/S", Map.of("_customer_number", "+16175550211")).status())
          .isEqualTo(200);
    } finally {
      answer.countDown();
      clients.shutdownNow();
    }
  }

  @Test
  void the_default_limit_leaves_ordinary_concurrency_alone() {
    try (TestServer server = TestServer.start("service.S:\n  _type: ors\n")) {
      List<Integer> statuses = java.util.stream.IntStream.range(0, 32).parallel()
          .mapToObj(i -> server.get("/genesys/1/service/callback/S?_customer_number=%2B1617555" + (1000 + i)).status())
          .toList();
      assertThat(statuses).containsOnly(200);
    }
  }
}

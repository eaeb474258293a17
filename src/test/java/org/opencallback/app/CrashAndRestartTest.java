package org.opencallback.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencallback.testing.EmbeddedStore;
import org.opencallback.testing.ForkedServer;
import org.opencallback.testing.TestServer;

class CrashAndRestartTest {
  private static final HttpClient CLIENT = HttpClient.newHttpClient();
  private static final String NEXT_WEEK =
      org.opencallback.domain.Times.format(java.time.Instant.now().plus(java.time.Duration.ofDays(7)).truncatedTo(java.time.temporal.ChronoUnit.HOURS));

  @Test
  void records_and_states_survive_a_restart() {
    try (TestServer server = TestServer.start("service.S:\n  _type: ors\nengine:\n  agents: 0\n")) {
      String scheduled = (String) server.postJson("/genesys/1/service/callback/S",
          Map.of("_customer_number", "+16175550001", "_desired_time", NEXT_WEEK, "note", "keep me")).map().get("_id");
      String queued = (String) server.postJson("/genesys/1/service/callback/S",
          Map.of("_customer_number", "+16175550002")).map().get("_id");
      String completed = (String) server.postJson("/genesys/1/service/callback/S",
          Map.of("_customer_number", "+16175550003")).map().get("_id");
      assertThat(server.delete("/genesys/1/service/callback/S/" + completed).status()).isEqualTo(200);

      server.restart();

      Map<String, Object> first = server.get("/genesys/1/service/callback/S/" + scheduled).map();
      assertThat(first).containsEntry("_callback_state", "SCHEDULED").containsEntry("note", "keep me")
          .containsEntry("_desired_time", NEXT_WEEK);
      assertThat(server.get("/genesys/1/service/callback/S/" + queued).map())
          .containsEntry("_callback_state", "QUEUED");
      assertThat(server.get("/genesys/1/service/callback/S/" + completed).map())
          .containsEntry("_callback_state", "COMPLETED").containsEntry("_callback_reason", "CANCELLED");
      assertThat(server.get("/genesys/1/service/callback/S/" + completed + "/history").list()).hasSize(2);
    }
  }

  @ParameterizedTest
  @EnumSource(EmbeddedStore.class)
  void a_callback_answered_200_survives_kill_minus_9(EmbeddedStore store, @TempDir Path dir) throws Exception {
    Path config = dir.resolve("opencallback.yaml");
    Files.writeString(config, "service.S:\n  _type: ors\n");
    List<String> arguments = new ArrayList<>(List.of("--config", config.toString(), "--port", ""));
    arguments.addAll(store.args(dir.resolve("data")));
    String[] args = arguments.toArray(String[]::new);
    int port = ForkedServer.freePort();
    args[3] = String.valueOf(port);
    List<String> ids = new ArrayList<>();
    try (ForkedServer server = ForkedServer.start(dir, port, args)) {
      assertThat(server.awaitListening(Duration.ofSeconds(60))).as(String.join("\n", server.output())).isTrue();
      for (int i = 0; i < 20; i++) {
        HttpResponse<String> response = CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.base() + "/genesys/1/service/callback/S"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"_customer_number\":\"+161755501" + (10 + i)
                    + "\",\"_desired_time\":\"" + NEXT_WEEK + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        ids.add(TestServer.JSON.readTree(response.body()).get("_id").asText());
      }
      server.kill();
    }
    store.assertIntact(dir.resolve("data"));

    int port2 = ForkedServer.freePort();
    args[3] = String.valueOf(port2);
    try (ForkedServer server = ForkedServer.start(dir, port2, args)) {
      assertThat(server.awaitListening(Duration.ofSeconds(60))).as(String.join("\n", server.output())).isTrue();
      for (String id : ids) {
        HttpResponse<String> response = CLIENT.send(
            HttpRequest.newBuilder(URI.create(server.base() + "/genesys/1/service/callback/S/" + id)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(id).isEqualTo(200);
        assertThat(response.body()).contains("\"SCHEDULED\"");
      }
    }
  }
}

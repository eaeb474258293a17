package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** GET /health/live and /health/ready. */
class HealthTest {
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Api.CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void live_answers_200_while_the_process_runs() {
    Response response = server.get("/health/live");

    assertThat(response.status()).isEqualTo(200);
  }

  @Test
  void ready_answers_200_once_the_server_listens() {
    Response response = server.get("/health/ready");

    assertThat(response.status()).isEqualTo(200);
  }
}

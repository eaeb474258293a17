package org.opencallback.longrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.ForkedServer;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/**
 * Issue 16, ready means recovered: while start-up recovery cannot finish (the callback table is
 * locked by another session, so recovery's first read waits), the node is live but not ready.
 */
class ReadyMeansRecoveredTest {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final String CONFIG = "service.S:\n  _enable_in_queue_checking: false\nengine:\n  agents: 0\n";

  @Test
  void the_node_answers_not_ready_until_recovery_has_finished() throws Exception {
    String url = TestPostgres.newDatabaseUrl();
    TestPostgres.migrate(url);
    int port = ForkedServer.freePort();
    CompletableFuture<TestServer> starting;
    try (Connection session = DriverManager.getConnection(url); Statement statement = session.createStatement()) {
      session.setAutoCommit(false);
      statement.execute("LOCK TABLE callback IN ACCESS EXCLUSIVE MODE");
      starting = CompletableFuture.supplyAsync(
          () -> TestServer.start(CONFIG, "--db-url", url, "--port", String.valueOf(port)));

      await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
          .until(() -> status(port, "/health/live") == 200);
      assertThat(status(port, "/health/ready")).isEqualTo(503);
      assertThat(starting).isNotDone();

      session.rollback();
    }
    try (TestServer server = starting.get(60, TimeUnit.SECONDS)) {
      assertThat(server.get("/health/ready").status()).isEqualTo(200);
    }
  }

  private static int status(int port, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5)).GET().build();
    return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}

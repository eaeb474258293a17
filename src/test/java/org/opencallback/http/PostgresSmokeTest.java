package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestPostgres;
import org.opencallback.testing.TestServer;

/** The server on PostgreSQL ({@code --db-url jdbc:postgresql://…}): start, read, look up, cancel, history. */
class PostgresSmokeTest {
  @Test
  void the_api_works_on_postgresql() {
    String url = TestPostgres.newDatabaseUrl();
    try (TestServer server = TestServer.start(Api.CONFIG, "--db-url", url)) {
      String number = number();
      String scheduled = Api.startScheduled(server, "Basic", number);
      String queued = Api.startQueued(server, "Basic", number());
      assertThat(Api.state(server, "Basic", scheduled)).isEqualTo("SCHEDULED");
      assertThat(Api.state(server, "Basic", queued)).isEqualTo("QUEUED");
      assertThat(Api.lookupAll(server, number)).extracting(c -> c.get("_id")).containsExactly(scheduled);
      assertThat(server.delete(path("Basic", scheduled)).status()).isEqualTo(200);
      server.restart();
      assertThat(Api.get(server, "Basic", scheduled)).containsEntry("_callback_state", "COMPLETED")
          .containsEntry("_callback_reason", "CANCELLED");
      List<Map<String, Object>> history = server.get(path("Basic", scheduled) + "/history").list();
      assertThat(history).extracting(h -> h.get("_callback_state")).containsExactly("SCHEDULED", "COMPLETED");
    }
  }
}

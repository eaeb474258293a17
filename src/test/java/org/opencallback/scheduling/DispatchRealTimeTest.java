package org.opencallback.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Times;
import org.opencallback.testing.TestServer;

/** Dispatch on the real clock, through HTTP (lenient bounds: the suite runs on a busy machine). */
class DispatchRealTimeTest {

  @Test
  void a_scheduled_callback_leaves_scheduled_at_its_due_time() {
    try (TestServer server = TestServer.start("service.S:\n  _request_execution_time_buffer: 15\n"
        + "engine:\n  agents: 0\n")) {
      Instant desired = Instant.now().plusSeconds(17).truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
      String id = (String) server.postJson("/genesys/1/service/callback/S",
          Map.of("_customer_number", "+16175550100", "_desired_time", Times.format(desired))).map().get("_id");
      Instant due = desired.minusSeconds(15);

      assertThat(server.get("/genesys/1/service/callback/S/" + id).map()).containsEntry("_callback_state", "SCHEDULED");
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() ->
          !"SCHEDULED".equals(server.get("/genesys/1/service/callback/S/" + id).map().get("_callback_state")));
      Instant left = Instant.parse(String.valueOf(
          server.get("/genesys/1/service/callback/S/" + id + "/history").list().get(1).get("time")));
      assertThat(Duration.between(due, left)).isBetween(Duration.ZERO, Duration.ofMillis(1000));
      String metrics = server.get("/metrics").body();
      assertThat(metrics).contains("opencallback_dispatch_lateness_seconds_count 1")
          .contains("opencallback_engine_ewt_seconds{service=\"S\"}");
    }
  }
}

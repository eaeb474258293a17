package org.opencallback.longrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;

/**
 * Issue 16, bounded memory: the built-in engine's two life timers per callback ({@code _ttl},
 * {@code _urs_queued_ttl}) leave the timer pool as soon as the callback leaves the engine, instead
 * of staying (with the callback's job) until their hours-long delay passes.
 */
class EngineTimerBoundTest {
  private static final String CONFIG = String.join("\n",
      "service.Held:",
      "  _enable_in_queue_checking: false",
      "  _throttle_callbacks_per_service_1: 100000",
      "  _max_request_by_time_bucket: 100000",
      "engine:",
      "  agents: 0",
      "");
  private static final Pattern GAUGE = Pattern.compile("(?m)^opencallback_engine_timer_tasks(?:\\{[^}]*})? ([0-9.E+]+)$");

  @Test
  void a_completed_callbacks_timers_leave_the_timer_pool_at_once() {
    int callbacks = 60;
    try (TestServer server = TestServer.start(CONFIG)) {
      double before = timerTasks(server);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < callbacks; i++) {
        ids.add(Gms.start(server, "Held", Gms.body("_customer_number", "+1555700" + (1000 + i))));
      }
      // held (QUEUED, no agents): two life timers each
      assertThat(timerTasks(server)).isGreaterThanOrEqualTo(before + 2 * callbacks);

      for (String id : ids) {
        assertThat(server.delete(Gms.path("Held", id)).status()).isEqualTo(200);
      }

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(timerTasks(server)).isLessThanOrEqualTo(before));
    }
  }

  private static double timerTasks(TestServer server) {
    Matcher matcher = GAUGE.matcher(server.get("/metrics").body());
    assertThat(matcher.find()).as("gauge opencallback_engine_timer_tasks").isTrue();
    return Double.parseDouble(matcher.group(1));
  }
}

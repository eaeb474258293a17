package org.opencallback.observability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.Gms;
import org.opencallback.testing.TestServer;

/**
 * Issue 15, hardening: labels chosen by requests are bounded. 1,000 distinct completion reasons and
 * 1,000 distinct virtual queue names make a handful of series on /metrics, not thousands; the reasons
 * themselves are stored as given.
 */
class BoundedLabelsTest {
  private static final int DISTINCT = 1_000;

  @Test
  void a_thousand_client_chosen_reasons_and_queue_names_make_a_bounded_number_of_series() throws Exception {
    try (TestServer server = TestServer.start(String.join("\n",
        "service.Ors:",
        "  _type: ors",
        "  _enable_in_queue_checking: false",
        "  _throttle_callbacks_per_service_1: 5000",
        "  _throttle_callbacks_per_service_2: 5000",
        "service.Vq:",
        "  _type: ors",
        "  _urs_virtual_queue: Main",
        "  _throttle_callbacks_per_service_1: 5000",
        "  _throttle_callbacks_per_service_2: 5000",
        "  _overwritable_options: _urs_virtual_queue,_urs_vq_priority",
        "engine:",
        "  agents: 0",
        ""))) {
      String tomorrow = Gms.iso(Instant.now().plusSeconds(86_400));
      ForkJoinPool pool = new ForkJoinPool(4);
      String[] ids = new String[DISTINCT];
      Queue<String> failures = new ConcurrentLinkedQueue<>();
      pool.submit(() -> IntStream.range(0, DISTINCT).parallel().forEach(i -> {
        TestServer.Response started = server.postJson(Gms.path("Ors"),
            Gms.body("_customer_number", "+1555300" + (1000 + i), "_desired_time", tomorrow));
        ids[i] = started.status() == 200 ? (String) started.map().get("_id") : null;
        TestServer.Response done = server.putJson(Gms.path("Ors", ids[i]),
            Map.of("_callback_state", "COMPLETED", "_callback_reason", "MADE_UP_" + i));
        TestServer.Response queued = server.postJson(Gms.path("Vq"),
            Gms.body("_customer_number", "+1555400" + (1000 + i), "_urs_virtual_queue", "Q" + i));
        for (TestServer.Response response : List.of(started, done, queued)) {
          if (response.status() != 200) {
            failures.add(response.status() + " " + response.body());
          }
        }
      })).get();
      pool.shutdown();
      assertThat(failures).isEmpty();
      Gms.start(server, "Vq", Gms.body("_customer_number", "+15554999999"));

      assertThat(Gms.get(server, "Ors", ids[7])).containsEntry("_callback_reason", "MADE_UP_7");
      List<String> scrape = Arrays.asList(server.get("/metrics").body().split("\n"));
      List<String> completed = series(scrape, "opencallback_callbacks_completed_total{");
      assertThat(completed).hasSize(1);
      assertThat(completed.get(0)).contains("reason=\"OTHER\"").endsWith(" " + DISTINCT + ".0");
      List<String> queues = series(scrape, "opencallback_engine_queue_size{");
      assertThat(queues).containsExactlyInAnyOrder(
          "opencallback_engine_queue_size{queue=\"Main\"} 1.0",
          "opencallback_engine_queue_size{queue=\"other\"} " + DISTINCT + ".0");
      assertThat(scrape.stream().filter(line -> !line.startsWith("#")).count()).isLessThan(500);
    }
  }

  private static List<String> series(List<String> scrape, String prefix) {
    return scrape.stream().filter(line -> line.startsWith(prefix)).toList();
  }
}

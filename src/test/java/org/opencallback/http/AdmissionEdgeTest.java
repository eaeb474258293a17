package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.body;
import static org.opencallback.http.Api.instant;
import static org.opencallback.http.Api.iso;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * The immediate-versus-scheduled rule {@code _desired_time < now + _request_execution_time_buffer} at
 * its exact edge, on a server whose clock stands still.
 */
class AdmissionEdgeTest {
  private static final Instant NOW = Instant.parse("2031-03-04T10:00:00.000Z");
  private static final String CONFIG =
      Api.CONFIG + String.join("\n", "service.Buffer0:", "  _type: ors", "  _request_execution_time_buffer: 0", "");
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static Map<String, Object> startAt(String service, Instant desired) {
    String id = Api.start(server, service, body("_customer_number", number(), "_desired_time", iso(desired)));
    return Api.get(server, service, id);
  }

  /** The state a callback was created in (a scheduled one due at once is dispatched right after). */
  private static String firstState(String service, String id) {
    return String.valueOf(server.get(path(service, id) + "/history").list().get(0).get("_callback_state"));
  }

  private static String lastHistoryState(String service, String id, int index) {
    return String.valueOf(server.get(path(service, id) + "/history").list().get(index).get("_callback_state"));
  }

  @Test
  void desired_one_millisecond_inside_the_120_second_buffer_is_queued() {
    assertThat(startAt("Basic", NOW.plusSeconds(120).minusMillis(1))).containsEntry("_callback_state", "QUEUED");
  }

  @Test
  void desired_exactly_at_the_120_second_buffer_is_scheduled_and_due_at_once() {
    String id = (String) startAt("Basic", NOW.plusSeconds(120)).get("_id");

    assertThat(firstState("Basic", id)).isEqualTo("SCHEDULED");
  }

  @Test
  void desired_one_millisecond_inside_a_15_second_buffer_is_queued() {
    assertThat(startAt("Buffer15", NOW.plusSeconds(15).minusMillis(1))).containsEntry("_callback_state", "QUEUED");
  }

  @Test
  void desired_exactly_at_a_15_second_buffer_is_scheduled_and_due_at_once() {
    String id = (String) startAt("Buffer15", NOW.plusSeconds(15)).get("_id");

    assertThat(firstState("Buffer15", id)).isEqualTo("SCHEDULED");
  }

  @Test
  void time_scheduled_is_the_server_clock_and_expiration_is_desired_plus_ttl() {
    Instant desired = NOW.plusSeconds(7200);

    Map<String, Object> stored = startAt("Basic", desired);

    assertThat(instant(stored.get("_time_scheduled"))).isEqualTo(NOW);
    assertThat(instant(stored.get("_desired_time"))).isEqualTo(desired);
    assertThat(instant(stored.get("_expiration_time"))).isEqualTo(desired.plusSeconds(3600));
  }

  @Test
  void without_desired_time_the_desired_time_is_now() {
    String id = Api.startQueued(server, "Basic", number());

    Map<String, Object> stored = Api.get(server, "Basic", id);

    assertThat(instant(stored.get("_desired_time"))).isEqualTo(NOW);
    assertThat(instant(stored.get("_expiration_time"))).isEqualTo(NOW.plusSeconds(3600));
  }

  private static String scheduledTomorrow() {
    return Api.start(
        server, "Basic", body("_customer_number", number(), "_desired_time", iso(NOW.plusSeconds(86_400))));
  }

  @Test
  void reschedule_exactly_at_the_buffer_stays_scheduled_and_is_due_at_once() {
    String id = scheduledTomorrow();

    Api.put(server, "Basic", id, body("_new_desired_time", iso(NOW.plusSeconds(120))));

    assertThat(lastHistoryState("Basic", id, 1)).isEqualTo("SCHEDULED");
  }

  @Test
  void reschedule_one_millisecond_inside_the_buffer_queues() {
    String id = scheduledTomorrow();

    Api.put(server, "Basic", id, body("_new_desired_time", iso(NOW.plusSeconds(120).minusMillis(1))));

    assertThat(Api.state(server, "Basic", id)).isEqualTo("QUEUED");
  }

  @Test
  void desired_in_the_past_with_a_zero_buffer_is_queued() {
    assertThat(startAt("Buffer0", NOW.minusMillis(1))).containsEntry("_callback_state", "QUEUED");
  }

  @Test
  void start_without_desired_time_is_immediate_even_with_a_zero_buffer() {
    Response response = server.postJson(path("Buffer0"), body("_customer_number", number()));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.map()).containsKey("_dialog_id");
    assertThat(Api.state(server, "Buffer0", (String) response.map().get("_id"))).isEqualTo("QUEUED");
  }
}

package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.assertError;
import static org.opencallback.http.Api.body;
import static org.opencallback.http.Api.instant;
import static org.opencallback.http.Api.iso;
import static org.opencallback.http.Api.now;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** PUT /genesys/1/service/callback/{svc}/{id}: reschedule, state reports, property updates. */
class UpdateCallbackTest {
  private static final String UNKNOWN_ID = "1-00000000-0000-0000-0000-000000000000";
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Api.CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static String queued() {
    return Api.startQueued(server, "Basic", number());
  }

  private static String scheduled() {
    return Api.startScheduled(server, "Basic", number());
  }

  private static void report(String id, String state) {
    Api.put(server, "Basic", id, body("_callback_state", state, "_reason", ""));
  }

  private static String completed() {
    String id = queued();
    Api.put(server, "Basic", id, body("_callback_state", "COMPLETED", "_callback_reason", "AGENT_CONNECTED"));
    return id;
  }

  private static Map<String, Object> get(String id) {
    return Api.get(server, "Basic", id);
  }

  @Test
  void reschedule_of_a_scheduled_callback_moves_desired_and_expiration_time() {
    String id = scheduled();
    Instant desired = now().plus(Duration.ofDays(4));

    Response response = server.putJson(path("Basic", id), body("_new_desired_time", iso(desired)));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.map()).isEmpty();
    Map<String, Object> stored = get(id);
    assertThat(stored).containsEntry("_callback_state", "SCHEDULED");
    assertThat(instant(stored.get("_desired_time"))).isEqualTo(desired);
    assertThat(instant(stored.get("_expiration_time"))).isEqualTo(desired.plusSeconds(3600));
  }

  @Test
  void reschedule_to_a_near_time_queues_the_callback() {
    String id = scheduled();
    Instant desired = now().plusSeconds(10);

    Api.put(server, "Basic", id, body("_new_desired_time", iso(desired)));

    Map<String, Object> stored = get(id);
    assertThat(stored).containsEntry("_callback_state", "QUEUED");
    assertThat(instant(stored.get("_desired_time"))).isEqualTo(desired);
    assertThat(instant(stored.get("_expiration_time"))).isEqualTo(desired.plusSeconds(3600));
  }

  @Test
  void reschedule_ignores_a_callback_state_in_the_same_body() {
    String id = scheduled();

    Api.put(
        server, "Basic", id,
        body("_new_desired_time", iso(now().plus(Duration.ofDays(2))), "_callback_state", "PROCESSING"));

    assertThat(get(id)).containsEntry("_callback_state", "SCHEDULED");
  }

  @Test
  void reschedule_of_a_queued_callback_is_refused() {
    String id = queued();

    Response response =
        server.putJson(path("Basic", id), body("_new_desired_time", iso(now().plus(Duration.ofDays(1)))));

    assertError(response, 400, 40020);
    assertThat(response.message()).isEqualTo("Callback '" + id + "' is no longer scheduled. State=QUEUED");
    assertThat(get(id)).containsEntry("_callback_state", "QUEUED");
  }

  @Test
  void reschedule_of_a_processing_callback_names_its_state() {
    String id = queued();
    report(id, "ROUTING");
    report(id, "PROCESSING");

    Response response =
        server.putJson(path("Basic", id), body("_new_desired_time", iso(now().plus(Duration.ofDays(1)))));

    assertError(response, 400, 40020);
    assertThat(response.message()).isEqualTo("Callback '" + id + "' is no longer scheduled. State=PROCESSING");
  }

  @Test
  void reschedule_of_a_cancelled_callback_is_refused() {
    String id = scheduled();
    assertThat(server.delete(path("Basic", id)).status()).isEqualTo(200);

    Response response =
        server.putJson(path("Basic", id), body("_new_desired_time", iso(now().plus(Duration.ofDays(1)))));

    assertError(response, 400, 40020);
    assertThat(response.message()).isEqualTo("Callback '" + id + "' is no longer scheduled. State=COMPLETED");
  }

  @Test
  void reschedule_to_an_unreadable_time_is_refused_with_40010_and_changes_nothing() {
    String id = scheduled();
    Object desiredBefore = get(id).get("_desired_time");

    assertError(server.putJson(path("Basic", id), body("_new_desired_time", "next week")), 400, 40010);

    assertThat(get(id)).containsEntry("_desired_time", desiredBefore).containsEntry("_callback_state", "SCHEDULED");
  }

  @Test
  void state_reports_take_a_callback_through_routing_and_processing_to_completed() {
    String id = queued();

    report(id, "ROUTING");
    assertThat(get(id)).containsEntry("_callback_state", "ROUTING");
    report(id, "PROCESSING");
    assertThat(get(id)).containsEntry("_callback_state", "PROCESSING");
    Api.put(server, "Basic", id, body("_callback_state", "COMPLETED", "_callback_reason", "AGENT_CONNECTED"));

    assertThat(get(id))
        .containsEntry("_callback_state", "COMPLETED")
        .containsEntry("_callback_reason", "AGENT_CONNECTED");
  }

  @Test
  void reason_given_as_underscore_reason_is_the_completion_reason() {
    String id = queued();
    report(id, "ROUTING");

    Api.put(server, "Basic", id, body("_callback_state", "COMPLETED", "_reason", "FAIL_CALL_TO_CUSTOMER"));

    assertThat(get(id))
        .containsEntry("_callback_state", "COMPLETED")
        .containsEntry("_callback_reason", "FAIL_CALL_TO_CUSTOMER");
  }

  @Test
  void completed_without_a_reason_gets_not_available() {
    String id = queued();

    Api.put(server, "Basic", id, body("_callback_state", "COMPLETED"));

    assertThat(get(id))
        .containsEntry("_callback_state", "COMPLETED")
        .containsEntry("_callback_reason", "NOT_AVAILABLE");
  }

  @Test
  void completed_with_an_empty_reason_gets_not_available() {
    String id = queued();

    Api.put(server, "Basic", id, body("_callback_state", "COMPLETED", "_reason", "", "_callback_reason", ""));

    assertThat(get(id)).containsEntry("_callback_reason", "NOT_AVAILABLE");
  }

  @Test
  void state_names_are_read_in_any_case() {
    String id = queued();

    Api.put(server, "Basic", id, body("_callback_state", "routing"));

    assertThat(get(id)).containsEntry("_callback_state", "ROUTING");
  }

  @Test
  void processing_back_to_scheduled_without_a_reschedule_is_refused_with_40020() {
    String id = queued();
    report(id, "ROUTING");
    report(id, "PROCESSING");

    Response response = server.putJson(path("Basic", id), body("_callback_state", "SCHEDULED", "_reason", ""));

    assertError(response, 400, 40020);
    assertThat(response.message()).contains(id).contains("PROCESSING").contains("SCHEDULED");
    assertThat(get(id)).containsEntry("_callback_state", "PROCESSING");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SCHEDULED", "QUEUED", "ROUTING", "PROCESSING", "PAUSED", "COMPLETED"})
  void nothing_leaves_completed(String state) {
    String id = completed();

    Response response =
        server.putJson(path("Basic", id), body("_callback_state", state, "_callback_reason", "FAIL_ERROR"));

    assertError(response, 400, 40020);
    assertThat(get(id))
        .containsEntry("_callback_state", "COMPLETED")
        .containsEntry("_callback_reason", "AGENT_CONNECTED");
  }

  @Test
  void user_data_of_a_completed_callback_cannot_be_changed() {
    String id = completed();

    assertError(server.putJson(path("Basic", id), body("color", "red")), 400, 40020);

    assertThat(get(id)).doesNotContainKey("color");
  }

  @Test
  void invalid_callback_state_is_refused_with_40010() {
    String id = queued();

    assertError(server.putJson(path("Basic", id), body("_callback_state", "WAITING")), 400, 40010);

    assertThat(get(id)).containsEntry("_callback_state", "QUEUED");
  }

  @Test
  void user_data_keys_are_added_replaced_and_removed_with_an_empty_value() {
    String id =
        Api.start(server, "Basic", body("_customer_number", number(), "color", "blue", "size", "M", "keep", "yes"));

    Api.put(server, "Basic", id, body("color", "red", "count", 3, "nested", Map.of("a", 1)));
    assertThat(get(id))
        .containsEntry("color", "red")
        .containsEntry("size", "M")
        .containsEntry("count", 3)
        .containsEntry("nested", Map.of("a", 1))
        .containsEntry("keep", "yes");

    Api.put(server, "Basic", id, body("size", "", "color", ""));
    assertThat(get(id)).doesNotContainKeys("size", "color").containsEntry("keep", "yes").containsEntry("count", 3);
  }

  @Test
  void properties_and_state_are_updated_together() {
    String id = queued();

    Api.put(server, "Basic", id, body("_callback_state", "ROUTING", "_reason", "", "agent", "A-17"));

    assertThat(get(id)).containsEntry("_callback_state", "ROUTING").containsEntry("agent", "A-17");
  }

  @Test
  void customer_number_service_name_and_desired_time_in_the_body_are_ignored() {
    String number = number();
    String id = Api.startScheduled(server, "Basic", number);
    Map<String, Object> before = get(id);

    Api.put(
        server, "Basic", id,
        body("_customer_number", number(), "_service_name", "Buffer15", "_desired_time",
            iso(now().plus(Duration.ofDays(9))), "_expiration_time", iso(now()), "_id", "1-other", "color", "red"));

    Map<String, Object> after = get(id);
    assertThat(after)
        .containsEntry("_id", id)
        .containsEntry("_customer_number", number)
        .containsEntry("_service_name", "Basic")
        .containsEntry("_desired_time", before.get("_desired_time"))
        .containsEntry("_expiration_time", before.get("_expiration_time"))
        .containsEntry("_callback_state", "SCHEDULED")
        .containsEntry("color", "red");
    assertThat(Api.lookupAll(server, number)).extracting(c -> c.get("_id")).containsExactly(id);
  }

  @Test
  void update_answers_200_with_an_empty_object() {
    String id = queued();

    Response response = server.putJson(path("Basic", id), body("note", "hello"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{}");
  }

  @Test
  void update_with_a_form_body() {
    String id = queued();

    Response response =
        server.send("PUT", path("Basic", id), "application/x-www-form-urlencoded",
            "_callback_state=ROUTING&_reason=&agent=A%2B1".getBytes(StandardCharsets.UTF_8));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(get(id)).containsEntry("_callback_state", "ROUTING").containsEntry("agent", "A+1");
  }

  @Test
  void update_of_an_unknown_id_is_refused_with_40030() {
    assertError(server.putJson(path("Basic", UNKNOWN_ID), body("_callback_state", "ROUTING")), 400, 40030);
    assertError(
        server.putJson(path("Basic", UNKNOWN_ID), body("_new_desired_time", iso(now().plusSeconds(9999)))),
        400, 40030);
  }

  @Test
  void update_of_an_id_of_another_service_is_refused_with_40030() {
    String id = Api.startQueued(server, "Buffer15", number());

    assertError(server.putJson(path("Basic", id), body("_callback_state", "ROUTING")), 400, 40030);

    assertThat(Api.state(server, "Buffer15", id)).isEqualTo("QUEUED");
  }

  @Test
  void update_with_a_malformed_body_is_refused_with_40010() {
    String id = queued();

    assertError(server.send("PUT", path("Basic", id), "application/json",
        "{\"_callback_state\":".getBytes(StandardCharsets.UTF_8)), 400, 40010);
  }

  @Test
  void very_long_reason_is_never_a_500() {
    String id = queued();

    Response response =
        server.putJson(path("Basic", id), body("_callback_state", "COMPLETED", "_callback_reason", "X".repeat(100)));

    assertThat(response.status()).as(response.body()).isLessThan(500);
  }
}

package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.assertError;
import static org.opencallback.http.Api.body;
import static org.opencallback.http.Api.instant;
import static org.opencallback.http.Api.iso;
import static org.opencallback.http.Api.now;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** POST /genesys/1/service/callback/{svc}: start or schedule. */
class StartCallbackTest {
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
  void start_without_desired_time_is_queued_and_answers_the_confirmation_dialog() {
    Response response = server.postJson(path("Basic"), body("_customer_number", number()));

    assertThat(response.status()).isEqualTo(200);
    Map<String, Object> body = response.map();
    assertThat(body).containsOnlyKeys("_dialog_id", "_action", "_text", "_ok_title", "_id");
    assertThat(body)
        .containsEntry("_dialog_id", "0")
        .containsEntry("_action", "ConfirmationDialog")
        .containsEntry("_text", "You will receive the call shortly")
        .containsEntry("_ok_title", "Ok");
    assertThat(Api.state(server, "Basic", (String) body.get("_id"))).isEqualTo("QUEUED");
  }

  @Test
  void start_with_a_desired_time_far_ahead_is_scheduled_and_answers_only_the_id() {
    Response response =
        server.postJson(
            path("Basic"),
            body("_customer_number", number(), "_desired_time", iso(now().plus(Duration.ofDays(2)))));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.map()).containsOnlyKeys("_id");
    assertThat(Api.state(server, "Basic", (String) response.map().get("_id"))).isEqualTo("SCHEDULED");
  }

  @Test
  void start_with_a_desired_time_in_the_past_is_queued() {
    String id =
        Api.start(
            server, "Basic", body("_customer_number", number(), "_desired_time", iso(now().minusSeconds(600))));

    assertThat(Api.state(server, "Basic", id)).isEqualTo("QUEUED");
  }

  @Test
  void desired_time_within_the_120_second_buffer_is_queued() {
    String id =
        Api.start(server, "Basic", body("_customer_number", number(), "_desired_time", iso(now().plusSeconds(5))));

    assertThat(Api.state(server, "Basic", id)).isEqualTo("QUEUED");
  }

  @Test
  void desired_time_beyond_the_120_second_buffer_is_scheduled() {
    String id =
        Api.start(server, "Basic", body("_customer_number", number(), "_desired_time", iso(now().plusSeconds(200))));

    assertThat(Api.state(server, "Basic", id)).isEqualTo("SCHEDULED");
  }

  @Test
  void desired_time_beyond_a_15_second_buffer_is_scheduled() {
    String id =
        Api.start(
            server, "Buffer15", body("_customer_number", number(), "_desired_time", iso(now().plusSeconds(30))));

    assertThat(Api.state(server, "Buffer15", id)).isEqualTo("SCHEDULED");
  }

  @Test
  void desired_time_within_a_15_second_buffer_is_queued() {
    String id =
        Api.start(
            server, "Buffer15", body("_customer_number", number(), "_desired_time", iso(now().plusSeconds(5))));

    assertThat(Api.state(server, "Buffer15", id)).isEqualTo("QUEUED");
  }

  @Test
  void form_body_starts_a_callback_like_json() {
    String number = number();
    Response response =
        server.postForm(
            path("Basic"),
            "_customer_number=" + Api.encode(number) + "&color=deep+blue&_desired_time="
                + Api.encode(iso(now().plus(Duration.ofDays(1)))));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.map()).containsOnlyKeys("_id");
    Map<String, Object> stored = Api.get(server, "Basic", (String) response.map().get("_id"));
    assertThat(stored)
        .containsEntry("_customer_number", number)
        .containsEntry("color", "deep blue")
        .containsEntry("_callback_state", "SCHEDULED");
  }

  @Test
  void form_body_without_desired_time_is_queued() {
    Response response = server.postForm(path("Basic"), "_customer_number=" + Api.encode(number()));

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.map()).containsKeys("_dialog_id", "_action", "_text", "_ok_title", "_id");
    assertThat(Api.state(server, "Basic", (String) response.map().get("_id"))).isEqualTo("QUEUED");
  }

  @ParameterizedTest
  @ValueSource(strings = {"SCHEDULED", "QUEUED", "ROUTING", "PROCESSING"})
  void callback_state_in_the_body_forces_the_first_state(String state) {
    String id =
        Api.start(
            server,
            "Basic",
            body("_customer_number", number(), "_desired_time", iso(now().plus(Duration.ofDays(1))),
                "_callback_state", state));

    assertThat(Api.state(server, "Basic", id)).isEqualTo(state);
  }

  @Test
  void forced_scheduled_state_without_desired_time_answers_only_the_id() {
    Response response =
        server.postJson(path("Basic"), body("_customer_number", number(), "_callback_state", "SCHEDULED"));

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.map()).containsOnlyKeys("_id");
    assertThat(Api.state(server, "Basic", (String) response.map().get("_id"))).isEqualTo("SCHEDULED");
  }

  @Test
  void forced_completed_state_gets_the_reason_not_available() {
    String id = Api.start(server, "Basic", body("_customer_number", number(), "_callback_state", "COMPLETED"));

    assertThat(Api.get(server, "Basic", id))
        .containsEntry("_callback_state", "COMPLETED")
        .containsEntry("_callback_reason", "NOT_AVAILABLE");
  }

  @Test
  void ids_have_the_gms_form_node_number_dash_uuid_and_are_unique() {
    String first = Api.startQueued(server, "Basic", number());
    String second = Api.startScheduled(server, "Basic", number());

    assertThat(first).matches(Api.ID_PATTERN);
    assertThat(second).matches(Api.ID_PATTERN).isNotEqualTo(first);
  }

  @Test
  void user_data_and_system_keys_are_stored_exactly_as_given() {
    Map<String, Object> address = Map.of("city", "Paris", "zip", Map.of("code", "75001", "cedex", 8));
    Map<String, Object> request =
        body(
            "_customer_number", number(),
            "_desired_time", iso(now().plus(Duration.ofDays(1))),
            "_urs_virtual_queue", "VQ_Sales",
            "_device_os", "comet",
            "color", "blue",
            "count", 42,
            "ratio", 1.5,
            "vip", true,
            "opted_out", false,
            "address", address,
            "tags", List.of("a", "b", 3),
            "unicode", "Grüße 😀");
    String id = Api.start(server, "Basic", request);

    Map<String, Object> stored = Api.get(server, "Basic", id);

    request.forEach(
        (key, value) -> {
          if (!key.equals("_desired_time")) {
            assertThat(stored).as(key).containsEntry(key, value);
          }
        });
    assertThat(instant(stored.get("_desired_time"))).isEqualTo(Instant.parse((String) request.get("_desired_time")));
  }

  @Test
  void get_of_a_new_callback_has_every_gms_field() {
    String number = number();
    Instant desired = now().plus(Duration.ofDays(1));
    Instant before = now();
    String id = Api.start(server, "Basic", body("_customer_number", number, "_desired_time", iso(desired)));
    Instant after = now();

    Map<String, Object> stored = Api.get(server, "Basic", id);

    assertThat(stored)
        .containsKeys("_id", "_service_name", "_callback_state", "_customer_number", "_desired_time",
            "_expiration_time", "_time_scheduled", "_url")
        .containsEntry("_id", id)
        .containsEntry("_service_name", "Basic")
        .containsEntry("_customer_number", number);
    assertThat(instant(stored.get("_desired_time"))).isEqualTo(desired);
    assertThat(instant(stored.get("_time_scheduled"))).isBetween(before, after);
  }

  @Test
  void expiration_time_is_desired_time_plus_ttl() {
    Instant desired = now().plus(Duration.ofDays(3));
    String basic = Api.start(server, "Basic", body("_customer_number", number(), "_desired_time", iso(desired)));
    String buffer15 =
        Api.start(server, "Buffer15", body("_customer_number", number(), "_desired_time", iso(desired)));

    assertThat(instant(Api.get(server, "Basic", basic).get("_expiration_time"))).isEqualTo(desired.plusSeconds(3600));
    assertThat(instant(Api.get(server, "Buffer15", buffer15).get("_expiration_time")))
        .isEqualTo(desired.plusSeconds(86_400));
  }

  @Test
  void expiration_of_an_immediate_callback_is_its_desired_time_plus_ttl() {
    String id = Api.startQueued(server, "Basic", number());

    Map<String, Object> stored = Api.get(server, "Basic", id);

    assertThat(instant(stored.get("_expiration_time")))
        .isEqualTo(instant(stored.get("_desired_time")).plusSeconds(3600));
  }

  @Test
  void missing_customer_number_is_refused_with_40010() {
    Response response = server.postJson(path("Basic"), body("color", "blue"));

    assertError(response, 400, 40010);
    assertThat(response.message()).contains("_customer_number");
  }

  @Test
  void blank_customer_number_is_refused_with_40010() {
    assertError(server.postJson(path("Basic"), body("_customer_number", "  ")), 400, 40010);
  }

  @Test
  void empty_json_object_is_refused_with_40010() {
    assertError(server.postJson(path("Basic"), "{}"), 400, 40010);
  }

  @Test
  void empty_body_is_refused_with_40010() {
    assertError(server.send("POST", path("Basic"), "application/json", new byte[0]), 400, 40010);
  }

  @Test
  void mandatory_lookup_key_other_than_the_number_is_required() {
    Response response =
        server.postJson(path("BySubscription"), body("_customer_number", number()));

    assertError(response, 400, 40010);
    assertThat(response.message()).contains("CB_SUBSCRIPTION_ID");
  }

  @Test
  void mandatory_lookup_key_other_than_the_number_makes_the_number_optional() {
    String id = Api.start(server, "BySubscription", body("CB_SUBSCRIPTION_ID", "SUB-" + number()));

    assertThat(Api.get(server, "BySubscription", id)).doesNotContainKey("_customer_number");
  }

  @ParameterizedTest
  @ValueSource(strings = {"tomorrow", "2026-13-45T10:00:00.000Z", "12345", "2026-01-01 10:00"})
  void invalid_desired_time_is_refused_with_40010_and_nothing_is_stored(String desired) {
    String number = number();

    Response response =
        server.postJson(path("Basic"), body("_customer_number", number, "_desired_time", desired));

    assertError(response, 400, 40010);
    assertThat(Api.lookupAll(server, number)).isEmpty();
  }

  @Test
  void numeric_desired_time_is_refused_with_40010() {
    assertError(
        server.postJson(path("Basic"), body("_customer_number", number(), "_desired_time", 1_700_000_000_000L)),
        400,
        40010);
  }

  @Test
  void invalid_callback_state_is_refused_with_40010_and_nothing_is_stored() {
    String number = number();

    Response response =
        server.postJson(path("Basic"), body("_customer_number", number, "_callback_state", "WAITING"));

    assertError(response, 400, 40010);
    assertThat(Api.lookupAll(server, number)).isEmpty();
  }

  @Test
  void unknown_service_is_refused_with_404_and_40010_and_nothing_is_stored() {
    String number = number();

    Response response = server.postJson(path("NoSuchService"), body("_customer_number", number));

    assertError(response, 404, 40010);
    assertThat(Api.lookupAll(server, number)).isEmpty();
  }

  @Test
  void missing_mandatory_key_stores_nothing() {
    String subscription = "SUB-" + number();

    assertError(server.postJson(path("Subscriptions"), body("CB_SUBSCRIPTION_ID", subscription)), 400, 40010);

    Response lookup = server.get(path("Subscriptions") + "?CB_SUBSCRIPTION_ID=" + Api.encode(subscription));
    assertThat(lookup.status()).isEqualTo(200);
    assertThat(lookup.list()).isEmpty();
  }

  @Test
  void query_string_parameters_of_a_post_are_taken_and_the_body_wins() {
    String number = number();
    String id =
        Api.start(
            server,
            "Basic?color=red&size=L",
            body("_customer_number", number, "color", "green"));

    assertThat(Api.get(server, "Basic", id)).containsEntry("color", "green").containsEntry("size", "L");
  }

  @Test
  void desired_time_with_an_offset_is_taken_as_that_instant() {
    Instant desired = now().plus(Duration.ofDays(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    String text = desired.atOffset(java.time.ZoneOffset.ofHours(2)).toString();

    String id = Api.start(server, "Basic", body("_customer_number", number(), "_desired_time", text));

    assertThat(instant(Api.get(server, "Basic", id).get("_desired_time"))).isEqualTo(desired);
  }

  @Test
  void absurdly_distant_desired_time_is_a_client_error_not_a_500() {
    Response response =
        server.postJson(
            path("Basic"), body("_customer_number", number(), "_desired_time", "+999999999-12-31T23:59:59.000Z"));

    assertThat(response.status()).as(response.body()).isLessThan(500);
  }

  @Test
  void very_long_customer_number_is_never_a_500() {
    Response response = server.postJson(path("Basic"), body("_customer_number", "1".repeat(300)));

    assertThat(response.status()).as(response.body()).isLessThan(500);
  }

  @Test
  void customer_number_given_as_a_json_number_is_accepted() {
    String id = Api.start(server, "Basic", body("_customer_number", 15551230001L));

    assertThat(Api.get(server, "Basic", id)).containsEntry("_customer_number", "+15551230001");
  }
}

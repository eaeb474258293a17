package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.admin.AdminHttp.SERVICE;
import static org.opencallback.http.admin.AdminHttp.adminPost;
import static org.opencallback.http.admin.AdminHttp.assertError;
import static org.opencallback.http.admin.AdminHttp.body;
import static org.opencallback.http.admin.AdminHttp.callback;
import static org.opencallback.http.admin.AdminHttp.listOf;
import static org.opencallback.http.admin.AdminHttp.number;
import static org.opencallback.http.admin.AdminHttp.post;
import static org.opencallback.http.admin.AdminHttp.startQueued;
import static org.opencallback.http.admin.AdminHttp.startScheduled;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.store.CallbackStore;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** POST /genesys/1/admin/callback/ops/delete (forget me) and …/cancel (bulk cancel). */
class AdminForgetAndCancelTest {
  private static final String CONFIG = String.join("\n",
      "service.Forget:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "  _max_request_by_time_bucket: 3",
      "service.Throttled:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "  _throttle_request_parameters_limit: 1",
      "engine:",
      "  agents: 0",
      AdminHttp.USERS);
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static CallbackStore store() {
    return server.server().store();
  }

  private static Map<String, Object> ok(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

  private static int booked(String id) {
    Instant desired = Instant.parse((String) callback(server, "Forget", id).get("_desired_time"));
    return store().bookedSlots("Forget", desired.minusSeconds(300), desired.plusSeconds(300))
        .values().stream().mapToInt(Integer::intValue).sum();
  }

  @Test
  void delete_by_id_removes_a_scheduled_callback_its_history_and_keys_and_frees_its_place() {
    String id = startScheduled(server, "Forget", number(), Duration.ofDays(3));
    int placesBefore = booked(id);

    Map<String, Object> body = ok(adminPost(server, "/ops/delete", body("_id", List.of(id))));

    assertThat(body).isEqualTo(Map.of("success", List.of(Map.of("_id", id)), "errors", List.of()));
    assertThat(server.get(SERVICE + "/Forget/" + id).status()).isIn(400, 404);
    assertThat(store().find(id)).isEmpty();
    assertThat(store().history(id)).isEmpty();
    assertThat(placesBefore).isEqualTo(1);
    Instant day = Instant.now().plus(Duration.ofDays(3));
    assertThat(store().bookedSlots("Forget", day.minusSeconds(3600), day.plusSeconds(3600))).isEmpty();
  }

  @Test
  void a_callback_in_execution_is_not_deleted_and_reported_with_40020() {
    String id = startQueued(server, "Forget", number());

    Map<String, Object> body = ok(adminPost(server, "/ops/delete", body("_id", List.of(id))));

    assertThat(body.get("success")).isEqualTo(List.of());
    assertThat(listOf(body.get("errors"))).containsExactly(Map.of(
        "code", 40020, "phrase", "INVALID_OPERATION", "_id", id,
        "message", "Callback " + id + " cannot be deleted - _callback_state=QUEUED"));
    assertThat(store().find(id)).isPresent();
  }

  @Test
  void delete_by_customer_number_removes_the_scheduled_and_completed_ones_only() {
    String number = number();
    String scheduled = startScheduled(server, "Forget", number, Duration.ofHours(5));
    String completed = startScheduled(server, "Forget", number, Duration.ofHours(6));
    assertThat(server.delete(SERVICE + "/Forget/" + completed).status()).isEqualTo(200);
    String queued = startQueued(server, "Forget", number);
    String nobody = number();

    Map<String, Object> body = ok(adminPost(server, "/ops/delete",
        body("_customer_number", List.of(number, nobody))));

    assertThat(listOf(body.get("success"))).containsExactlyInAnyOrder(
        Map.of("_id", scheduled), Map.of("_id", completed),
        Map.of("_customer_number", nobody, "reason", "no callback(s) to delete"));
    assertThat(listOf(body.get("errors"))).extracting(e -> e.get("_id")).containsExactly(queued);
    assertThat(store().find(scheduled)).isEmpty();
    assertThat(store().find(completed)).isEmpty();
    assertThat(store().history(completed)).isEmpty();
    assertThat(server.get(SERVICE + "?_customer_number=" + AdminHttp.encode(number)).list())
        .extracting(e -> e.get("_id")).containsExactly(queued);
  }

  @Test
  void delete_of_an_unknown_id_is_an_error_item_and_an_empty_request_is_refused() {
    Map<String, Object> body = ok(adminPost(server, "/ops/delete", body("_id", List.of("1-nope"))));

    assertThat(listOf(body.get("errors"))).extracting(e -> e.get("code"), e -> e.get("_id"))
        .containsExactly(org.assertj.core.groups.Tuple.tuple(40010, "1-nope"));
    assertError(adminPost(server, "/ops/delete", body()), 400, 40010);
  }

  @Test
  void bulk_cancel_completes_each_callback_as_cancelled_by_admin() {
    String queued = startQueued(server, "Forget", number());
    String scheduled = startScheduled(server, "Forget", number(), Duration.ofHours(7));

    Map<String, Object> body = ok(adminPost(server, "/cancel",
        body("reason", "CANCELLED_BY_ADMIN", "ids", List.of(queued, scheduled))));

    assertThat(body).isEqualTo(Map.of("cancelled", List.of(queued, scheduled), "errors", List.of()));
    for (String id : List.of(queued, scheduled)) {
      assertThat(callback(server, "Forget", id))
          .containsEntry("_callback_state", "COMPLETED")
          .containsEntry("_callback_reason", "CANCELLED_BY_ADMIN");
    }
  }

  @Test
  void bulk_cancel_reports_unknown_and_finished_callbacks_and_cancels_the_others() {
    String done = startQueued(server, "Forget", number());
    assertThat(server.delete(SERVICE + "/Forget/" + done).status()).isEqualTo(200);
    String active = startQueued(server, "Forget", number());

    Map<String, Object> body = ok(adminPost(server, "/cancel", body("ids", List.of("1-unknown", done, active))));

    assertThat(body.get("cancelled")).isEqualTo(List.of(active));
    assertThat(listOf(body.get("errors")))
        .extracting(e -> e.get("_id"), e -> e.get("code"), e -> e.get("phrase"))
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("1-unknown", 40030, "NOT_FOUND"),
            org.assertj.core.groups.Tuple.tuple(done, 40020, "INVALID_OPERATION"));
    assertThat(listOf(body.get("errors")).get(1).get("message"))
        .isEqualTo("Request already cancelled or completed : [" + done + "]");
  }

  @Test
  void bulk_cancel_without_ids_is_refused() {
    assertError(adminPost(server, "/cancel", body("reason", "CANCELLED_BY_ADMIN")), 400, 40010);
    assertError(adminPost(server, "/cancel", body("ids", Map.of("a", 1))), 400, 40010);
  }

  @Test
  void forget_me_removes_the_daily_throttle_count_of_the_number() {
    String number = number();
    String first = startQueued(server, "Throttled", number);
    ok(adminPost(server, "/cancel", body("ids", List.of(first))));
    // the number's count for today is used up: a second immediate start is throttled
    assertError(post(server, SERVICE + "/Throttled", Map.of(), body("_customer_number", number)), 429, 40004);

    ok(adminPost(server, "/ops/delete", body("_customer_number", List.of(number))));

    assertThat(store().find(first)).isEmpty();
    // nothing of the number is left, its throttle count included: it starts afresh
    assertThat(startQueued(server, "Throttled", number)).isNotBlank();
  }
}

package org.opencallback.http.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.admin.AdminHttp.adminGet;
import static org.opencallback.http.admin.AdminHttp.assertError;
import static org.opencallback.http.admin.AdminHttp.body;
import static org.opencallback.http.admin.AdminHttp.encode;
import static org.opencallback.http.admin.AdminHttp.iso;
import static org.opencallback.http.admin.AdminHttp.listOf;
import static org.opencallback.http.admin.AdminHttp.now;
import static org.opencallback.http.admin.AdminHttp.number;
import static org.opencallback.http.admin.AdminHttp.start;
import static org.opencallback.http.admin.AdminHttp.startQueued;
import static org.opencallback.http.admin.AdminHttp.startScheduled;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** GET /genesys/1/admin/callback/queues and …/watermarks. */
class AdminQueuesTest {
  private static final String CONFIG = String.join("\n",
      "callback:",
      "  filter-keys: _callback_state,_callback_reason,_service_type,_customer_number",
      "  returned-keys: _service_type,_callback_reason",
      "service.Queues:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "service.Other:",
      "  _type: ors",
      "service.Empty:",
      "  _type: ors",
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

  private static Map<String, Object> queues(String query) {
    Response response = adminGet(server, "/queues" + query);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.map();
  }

  private static List<String> ids(Map<String, Object> body, String service) {
    return listOf(body.get(service)).stream().map(e -> (String) e.get("_id")).toList();
  }

  @Test
  void default_window_is_fifteen_minutes_back_to_a_day_ahead_and_lists_every_service() {
    String soon = startScheduled(server, "Queues", number(), Duration.ofHours(2));
    String queued = startQueued(server, "Queues", number());
    String later = startScheduled(server, "Queues", number(), Duration.ofHours(30));

    Map<String, Object> body = queues("");

    assertThat(body).containsKeys("Queues", "Other", "Empty");
    assertThat(ids(body, "Queues")).contains(soon, queued).doesNotContain(later);
    assertThat(body.get("Empty")).isEqualTo(List.of());
  }

  @Test
  void entries_carry_the_fixed_keys_url_and_the_returned_keys() {
    String id = start(server, "Queues", body("_customer_number", number(), "_service_type", "gold",
        "_desired_time", iso(now().plusSeconds(3600))));

    Map<String, Object> entry = listOf(queues("?target=Queues&_service_type=gold").get("Queues")).stream()
        .filter(e -> e.get("_id").equals(id)).findFirst().orElseThrow();

    // every key the GMS document says is always returned, in both of its spellings
    assertThat(entry).containsKeys("_id", "_customer_number", "_callback_state", "_desired_time", "url",
            "_service_name", "_expiration_time", "_url", "desired_time")
        .containsEntry("_service_name", "Queues")
        .containsEntry("desired_time", entry.get("_desired_time"))
        .containsEntry("_url", entry.get("url"))
        .containsEntry("_callback_state", "SCHEDULED")
        .containsEntry("_service_type", "gold");
    assertThat((String) entry.get("url")).endsWith("/genesys/1/service/callback/Queues/" + id);
  }

  @Test
  void target_states_max_and_filter_keys_narrow_the_answer() {
    String number = number();
    String scheduled = startScheduled(server, "Other", number, Duration.ofHours(1));
    String queued = startQueued(server, "Other", number());
    startScheduled(server, "Other", number(), Duration.ofHours(3));

    Map<String, Object> onlyOther = queues("?target=Other&states=QUEUED");
    Map<String, Object> scheduledOnly = queues("?target=Other&states=SCHEDULED&max=1");
    Map<String, Object> byNumber = queues("?target=Other&_customer_number=" + encode(number));
    Map<String, Object> byStateFilter = queues("?target=Other&_callback_state=queued");

    assertThat(onlyOther).containsOnlyKeys("Other");
    assertThat(ids(onlyOther, "Other")).containsExactly(queued);
    assertThat(ids(scheduledOnly, "Other")).containsExactly(scheduled);
    assertThat(ids(byNumber, "Other")).containsExactly(scheduled);
    assertThat(ids(byStateFilter, "Other")).containsExactly(queued);
  }

  @Test
  void start_and_end_time_choose_the_window() {
    String inTwoDays = startScheduled(server, "Queues", number(), Duration.ofDays(2));

    Map<String, Object> body = queues("?target=Queues&start_time=" + iso(now().plus(Duration.ofDays(1)))
        + "&end_time=" + iso(now().plus(Duration.ofDays(3))));

    assertThat(ids(body, "Queues")).contains(inTwoDays);
  }

  @Test
  void a_range_wider_than_31_days_is_refused_with_40020() {
    Response response = adminGet(server, "/queues?start_time=" + iso(now())
        + "&end_time=" + iso(now().plus(Duration.ofDays(32))));

    Map<String, Object> error = assertError(response, 400, 40020);
    assertThat((String) error.get("message"))
        .matches("Query range spans too wide time range \\(\\d+ / 44640\\)\\."
            + " Adjust query parameters for time range\\.");
  }

  @Test
  void keys_outside_filter_keys_and_unreadable_values_are_refused_with_40020() {
    assertError(adminGet(server, "/queues?_vq=x"), 400, 40020);
    assertError(adminGet(server, "/queues?states=QUEUED,NOPE"), 400, 40020);
    assertError(adminGet(server, "/queues?max=0"), 400, 40020);
    assertError(adminGet(server, "/queues?start_time=yesterday"), 400, 40020);
    assertError(adminGet(server, "/queues?start_time=" + iso(now()) + "&end_time=" + iso(now().minusSeconds(60))),
        400, 40020);
    assertThat((String) assertError(adminGet(server, "/queues?_vq=x"), 400, 40020).get("message"))
        .isEqualTo("Cannot process 'filter' parameter correctly : _vq=x");
  }

  @Test
  void an_unknown_target_is_refused() {
    assertError(adminGet(server, "/queues?target=NoSuchService"), 404, 40010);
  }

  @Test
  void watermarks_count_callbacks_in_execution_for_every_service_zero_included() {
    try (TestServer fresh = TestServer.start(CONFIG)) {
      startQueued(fresh, "Queues", number());
      startQueued(fresh, "Queues", number());
      startScheduled(fresh, "Queues", number(), Duration.ofHours(2));
      String cancelled = startQueued(fresh, "Other", number());
      assertThat(fresh.delete(AdminHttp.SERVICE + "/Other/" + cancelled).status()).isEqualTo(200);

      Response all = AdminHttp.adminGet(fresh, "/watermarks");
      Response some = AdminHttp.adminGet(fresh, "/watermarks?service_name=Other&service_name=Queues");
      Response one = AdminHttp.adminGet(fresh, "/watermarks?service_name=Empty");

      assertThat(all.status()).isEqualTo(200);
      assertThat(all.map()).isEqualTo(Map.of("total", 2, "services", Map.of("Queues", 2, "Other", 0, "Empty", 0)));
      assertThat(some.map()).isEqualTo(Map.of("total", 2, "services", Map.of("Other", 0, "Queues", 2)));
      assertThat(one.map()).isEqualTo(Map.of("total", 0, "services", Map.of("Empty", 0)));
    }
  }
}

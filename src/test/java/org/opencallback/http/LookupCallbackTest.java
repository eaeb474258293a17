package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.http.Api.assertError;
import static org.opencallback.http.Api.body;
import static org.opencallback.http.Api.encode;
import static org.opencallback.http.Api.iso;
import static org.opencallback.http.Api.number;
import static org.opencallback.http.Api.path;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** GET /genesys/1/service/callback[/{svc}]?KEY=VALUE…: lookup by the service's _customer_lookup_keys. */
class LookupCallbackTest {
  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(Api.CONFIG);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static List<Map<String, Object>> lookup(String pathAndQuery) {
    Response response = server.get(pathAndQuery);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.list();
  }

  private static String subscriptions(String query) {
    return path("Subscriptions") + "?" + query;
  }

  private static String start(String number, String subscription) {
    return Api.start(server, "Subscriptions", body("_customer_number", number, "CB_SUBSCRIPTION_ID", subscription));
  }

  @Test
  void lookup_by_number_answers_the_gms_summary_of_each_callback() {
    String number = number();
    String id = Api.startScheduled(server, "Subscriptions", number);

    List<Map<String, Object>> found = lookup(subscriptions("_customer_number=" + encode(number)));

    assertThat(found).hasSize(1);
    assertThat(found.get(0))
        .containsEntry("_id", id)
        .containsEntry("_callback_state", "SCHEDULED")
        .containsEntry("_customer_number", number)
        .containsKeys("_desired_time", "_expiration_time", "_url");
  }

  @Test
  void two_keys_are_combined_with_and_by_default() {
    String number = number();
    String other = number();
    String both = start(number, "S1-" + number);
    start(number, "S2-" + number);
    start(other, "S1-" + number);

    String query = "_customer_number=" + encode(number) + "&CB_SUBSCRIPTION_ID=S1-" + encode(number);

    assertThat(lookup(subscriptions(query))).extracting(c -> c.get("_id")).containsExactly(both);
    assertThat(lookup(subscriptions(query + "&operand=AND"))).extracting(c -> c.get("_id")).containsExactly(both);
  }

  @Test
  void operand_or_answers_callbacks_matching_any_key() {
    String number = number();
    String other = number();
    String first = start(number, "S1-" + number);
    String second = start(number, "S2-" + number);
    String third = start(other, "S1-" + number);
    start(other, "S3-" + number);

    List<Map<String, Object>> found =
        lookup(subscriptions("_customer_number=" + encode(number) + "&CB_SUBSCRIPTION_ID=S1-" + encode(number)
            + "&operand=OR"));

    assertThat(found).extracting(c -> c.get("_id")).containsExactlyInAnyOrder(first, second, third);
  }

  @Test
  void lookup_by_a_user_data_lookup_key_alone() {
    String subscription = "SUB-" + number();
    String id = start(number(), subscription);

    assertThat(lookup(subscriptions("CB_SUBSCRIPTION_ID=" + encode(subscription))))
        .extracting(c -> c.get("_id"))
        .containsExactly(id);
  }

  @Test
  void numeric_lookup_value_matches_a_value_given_as_a_json_number() {
    long subscription = 900_000_000L + Long.parseLong(number().substring(5));
    String id =
        Api.start(server, "Subscriptions", body("_customer_number", number(), "CB_SUBSCRIPTION_ID", subscription));

    assertThat(lookup(subscriptions("CB_SUBSCRIPTION_ID=" + subscription)))
        .extracting(c -> c.get("_id"))
        .containsExactly(id);
  }

  @Test
  void lookup_includes_completed_callbacks_unless_filtered() {
    String number = number();
    String active = Api.startScheduled(server, "Subscriptions", number);
    String cancelled = Api.startScheduled(server, "Subscriptions", number);
    assertThat(server.delete(path("Subscriptions", cancelled)).status()).isEqualTo(200);
    String byNumber = "_customer_number=" + encode(number);

    assertThat(lookup(subscriptions(byNumber))).extracting(c -> c.get("_id"))
        .containsExactlyInAnyOrder(active, cancelled);
    assertThat(lookup(subscriptions(byNumber + "&_callback_state=" + encode("!COMPLETED"))))
        .extracting(c -> c.get("_id"))
        .containsExactly(active);
    List<Map<String, Object>> completed = lookup(subscriptions(byNumber + "&_callback_state=COMPLETED"));
    assertThat(completed).extracting(c -> c.get("_id")).containsExactly(cancelled);
    assertThat(completed.get(0)).containsEntry("_callback_state", "COMPLETED");
  }

  @Test
  void state_filter_selects_one_state() {
    String number = number();
    String scheduled = Api.startScheduled(server, "Subscriptions", number);
    String queued = Api.startQueued(server, "Subscriptions", number);
    String byNumber = "_customer_number=" + encode(number);

    assertThat(lookup(subscriptions(byNumber + "&_callback_state=SCHEDULED")))
        .extracting(c -> c.get("_id")).containsExactly(scheduled);
    assertThat(lookup(subscriptions(byNumber + "&_callback_state=QUEUED")))
        .extracting(c -> c.get("_id")).containsExactly(queued);
    assertThat(lookup(subscriptions(byNumber + "&_callback_state=" + encode("!SCHEDULED"))))
        .extracting(c -> c.get("_id")).containsExactly(queued);
  }

  @Test
  void scheduled_after_and_before_are_inclusive_bounds_on_the_desired_time() {
    String number = number();
    Instant base = Api.now().plus(Duration.ofDays(5)).truncatedTo(ChronoUnit.SECONDS);
    Instant t1 = base;
    Instant t2 = base.plus(Duration.ofHours(1));
    Instant t3 = base.plus(Duration.ofHours(2));
    String third = Api.start(server, "Subscriptions", body("_customer_number", number, "_desired_time", iso(t3)));
    String first = Api.start(server, "Subscriptions", body("_customer_number", number, "_desired_time", iso(t1)));
    String second = Api.start(server, "Subscriptions", body("_customer_number", number, "_desired_time", iso(t2)));
    String byNumber = "_customer_number=" + encode(number);

    assertThat(lookup(subscriptions(byNumber))).extracting(c -> c.get("_id"))
        .containsExactly(first, second, third);
    assertThat(lookup(subscriptions(byNumber + "&_scheduled_after=" + encode(iso(t2)))))
        .extracting(c -> c.get("_id")).containsExactly(second, third);
    assertThat(lookup(subscriptions(byNumber + "&_scheduled_before=" + encode(iso(t2)))))
        .extracting(c -> c.get("_id")).containsExactly(first, second);
    assertThat(lookup(subscriptions(byNumber + "&_scheduled_after=" + encode(iso(t2))
        + "&_scheduled_before=" + encode(iso(t2)))))
        .extracting(c -> c.get("_id")).containsExactly(second);
    assertThat(lookup(subscriptions(byNumber + "&_scheduled_after=" + encode(iso(t2.plusMillis(1)))
        + "&_scheduled_before=" + encode(iso(t3.minusMillis(1))))))
        .isEmpty();
  }

  @Test
  void key_not_among_the_lookup_keys_is_refused_with_40020() {
    Response response = server.get(subscriptions("color=blue"));

    assertError(response, 400, 40020);
    assertThat(response.message()).startsWith("Cannot process 'filter' parameter correctly : ").contains("color");
  }

  @Test
  void user_data_key_is_not_a_lookup_key_of_a_service_with_only_the_number() {
    Response response = server.get(path("Basic") + "?CB_SUBSCRIPTION_ID=x&_customer_number=1");

    assertError(response, 400, 40020);
    assertThat(response.message()).startsWith("Cannot process 'filter' parameter correctly : ");
  }

  @Test
  void unknown_state_filter_is_refused_with_40020() {
    String byNumber = "_customer_number=" + encode(number());

    Response response = server.get(subscriptions(byNumber + "&_callback_state=WAITING"));
    assertError(response, 400, 40020);
    assertThat(response.message()).startsWith("Cannot process 'filter' parameter correctly : ");
    assertError(server.get(subscriptions(byNumber + "&_callback_state=" + encode("!WAITING"))), 400, 40020);
  }

  @Test
  void unknown_operand_is_refused_with_40020() {
    assertError(server.get(subscriptions("_customer_number=1&operand=XOR")), 400, 40020);
  }

  @Test
  void unreadable_time_bound_is_refused_with_40020() {
    assertError(server.get(subscriptions("_customer_number=1&_scheduled_after=yesterday")), 400, 40020);
    assertError(server.get(subscriptions("_customer_number=1&_scheduled_before=2026-99-01")), 400, 40020);
  }

  @Test
  void lookup_without_any_key_is_refused_with_40010() {
    assertError(server.get(path("Subscriptions")), 400, 40010);
    assertError(server.get(subscriptions("operand=OR&_callback_state=QUEUED")), 400, 40010);
    assertError(server.get(Api.BASE), 400, 40010);
  }

  @Test
  void lookup_in_an_unknown_service_is_refused_with_404_and_40010() {
    assertError(server.get(path("NoSuchService") + "?_customer_number=1"), 404, 40010);
  }

  @Test
  void returned_keys_of_the_callback_section_are_added_to_the_summary() {
    String number = number();
    String id =
        Api.start(
            server,
            "Subscriptions",
            body("_customer_number", number, "CB_SUBSCRIPTION_ID", "S-" + number, "_ors_session_id", "ORS-7",
                "CB_EXTRA", "extra", "color", "blue"));

    List<Map<String, Object>> found = lookup(subscriptions("_customer_number=" + encode(number)));

    assertThat(found).hasSize(1);
    assertThat(found.get(0))
        .containsEntry("_id", id)
        .doesNotContainKey("_ors_session_id") // server-owned: a request cannot set it, so there is none
        .containsEntry("CB_EXTRA", "extra")
        .containsEntry("CB_SUBSCRIPTION_ID", "S-" + number)
        .doesNotContainKey("color");
  }

  @Test
  void lookup_without_a_service_searches_every_service() {
    String number = number();
    String basic = Api.startQueued(server, "Basic", number);
    String buffer15 = Api.startScheduled(server, "Buffer15", number);
    String subscriptions = Api.startScheduled(server, "Subscriptions", number);

    assertThat(Api.lookupAll(server, number))
        .extracting(c -> c.get("_id"))
        .containsExactlyInAnyOrder(basic, buffer15, subscriptions);
    assertThat(lookup(path("Basic") + "?_customer_number=" + encode(number)))
        .extracting(c -> c.get("_id"))
        .containsExactly(basic);
  }

  @Test
  void lookup_without_a_service_shows_the_service_of_each_callback_in_its_url() {
    String number = number();
    String id = Api.startScheduled(server, "Buffer15", number);

    List<Map<String, Object>> found = Api.lookupAll(server, number);

    assertThat(found).hasSize(1);
    assertThat((String) found.get(0).get("_url")).endsWith(path("Buffer15", id));
  }

  @Test
  void lookup_without_a_service_takes_a_lookup_key_of_any_service() {
    String subscription = "SUB-" + number();
    String id = start(number(), subscription);

    assertThat(lookup(Api.BASE + "?CB_SUBSCRIPTION_ID=" + encode(subscription)))
        .extracting(c -> c.get("_id"))
        .containsExactly(id);
  }

  @Test
  void lookup_of_an_unknown_number_answers_an_empty_array() {
    assertThat(lookup(subscriptions("_customer_number=" + encode(number())))).isEmpty();
  }

  @Test
  void lookup_follows_a_changed_lookup_key() {
    String number = number();
    String id = start(number, "OLD-" + number);
    Api.put(server, "Subscriptions", id, body("CB_SUBSCRIPTION_ID", "NEW-" + number));

    assertThat(lookup(subscriptions("CB_SUBSCRIPTION_ID=OLD-" + encode(number)))).isEmpty();
    assertThat(lookup(subscriptions("CB_SUBSCRIPTION_ID=NEW-" + encode(number))))
        .extracting(c -> c.get("_id"))
        .containsExactly(id);
  }
}

package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;
import static org.opencallback.callback.http.Http.properties;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Step 12a of docs/admission.md: {@code _enable_in_queue_checking} (40001). */
class DuplicateCheckTest {
  private static final String CONFIG = String.join("\n",
      "service.DupTrue:",
      "  _type: ors",
      "  _enable_in_queue_checking: true",
      "service.DupDefault:",
      "  _type: ors",
      "service.DupStrict:",
      "  _type: ors",
      "  _enable_in_queue_checking: strict",
      "service.DupOff:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "service.Other:",
      "  _type: ors",
      "  _enable_in_queue_checking: strict",
      "");

  private static TestServer server;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG + "\nengine:\n  agents: 0\n");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static void assertDuplicate(Response response, int max) {
    Map<String, Object> error = assertError(response, 429, 40001,
        "There is already " + max + " or more Callbacks QUEUED for this number, please refer to"
            + " _enable_in_queue_checking for detail.");
    assertThat(properties(error)).containsEntry("max_queued", max);
  }

  private static int stored(String service, String number) {
    return Http.lookup(server, service, "_customer_number=" + Http.encode(number)).size();
  }

  @Test
  void true_refuses_the_third_active_callback_of_a_number() {
    String number = number();
    Http.startQueued(server, "DupTrue", number);
    Http.startQueued(server, "DupTrue", number);

    assertDuplicate(post(server, "DupTrue", body("_customer_number", number)), 2);
    assertThat(stored("DupTrue", number)).isEqualTo(2);
  }

  @Test
  void default_is_true() {
    String number = number();
    Http.startQueued(server, "DupDefault", number);
    Http.startQueued(server, "DupDefault", number);

    assertDuplicate(post(server, "DupDefault", body("_customer_number", number)), 2);
  }

  @Test
  void number_is_compared_in_its_stored_form() {
    Http.startQueued(server, "DupTrue", "+1 617 555 0150");
    Http.startQueued(server, "DupTrue", "617-555-0150");

    assertDuplicate(post(server, "DupTrue", body("_customer_number", "(617) 555-0150")), 2);
  }

  @Test
  void strict_refuses_the_second_active_callback_of_a_number() {
    String number = number();
    Http.startQueued(server, "DupStrict", number);

    assertDuplicate(post(server, "DupStrict", body("_customer_number", number)), 1);
    assertThat(stored("DupStrict", number)).isEqualTo(1);
  }

  @Test
  void false_accepts_any_number_of_callbacks_for_a_number() {
    String number = number();
    for (int i = 0; i < 4; i++) {
      Http.startQueued(server, "DupOff", number);
    }
    for (int i = 0; i < 4; i++) {
      Http.startScheduled(server, "DupOff", number);
    }

    assertThat(stored("DupOff", number)).isEqualTo(8);
  }

  @Test
  void cancelling_one_frees_the_place() {
    String number = number();
    String first = Http.startQueued(server, "DupTrue", number);
    Http.startQueued(server, "DupTrue", number);
    assertDuplicate(post(server, "DupTrue", body("_customer_number", number)), 2);

    Http.cancel(server, "DupTrue", first);

    Http.startQueued(server, "DupTrue", number);
    assertDuplicate(post(server, "DupTrue", body("_customer_number", number)), 2);
  }

  @Test
  void strict_cancelling_frees_the_place() {
    String number = number();
    String first = Http.startQueued(server, "DupStrict", number);
    Http.cancel(server, "DupStrict", first);

    Http.startQueued(server, "DupStrict", number);
  }

  @Test
  void completed_callbacks_do_not_count() {
    String number = number();
    String first = Http.startQueued(server, "DupStrict", number);
    Response done = server.putJson(Http.path("DupStrict", first),
        body("_callback_state", "COMPLETED", "_callback_reason", "AGENT_CONNECTED"));
    assertThat(done.status()).as(done.body()).isEqualTo(200);

    Http.startQueued(server, "DupStrict", number);
  }

  @Test
  void scheduled_callbacks_count_and_are_refused_too() {
    String number = number();
    Http.startScheduled(server, "DupTrue", number);
    Http.startScheduled(server, "DupTrue", number);

    assertDuplicate(post(server, "DupTrue", body("_customer_number", number, "_desired_time", Http.inTwoDays())), 2);
    assertDuplicate(post(server, "DupTrue", body("_customer_number", number)), 2);
  }

  @Test
  void strict_refuses_a_scheduled_request_after_a_queued_one() {
    String number = number();
    Http.startQueued(server, "DupStrict", number);

    assertDuplicate(post(server, "DupStrict", body("_customer_number", number, "_desired_time", Http.inTwoDays())), 1);
  }

  @Test
  void other_services_are_unaffected() {
    String number = number();
    Http.startQueued(server, "DupStrict", number);
    assertDuplicate(post(server, "DupStrict", body("_customer_number", number)), 1);

    Http.startQueued(server, "Other", number);
    Http.startQueued(server, "DupOff", number);
    assertThat(Http.lookupAll(server, number)).hasSize(3);
  }

  @Test
  void other_numbers_are_unaffected() {
    String number = number();
    Http.startQueued(server, "DupStrict", number);

    Http.startQueued(server, "DupStrict", number());
  }
}

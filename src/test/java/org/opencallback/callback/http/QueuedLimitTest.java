package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.assertNothingStored;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Step 12b of docs/admission.md: {@code _max_queued_callbacks_per_service} and, when a service does
 * not set it, {@code [callback] max_queued_callbacks_per_service} (40002).
 */
class QueuedLimitTest {
  private static final String CONFIG = String.join("\n",
      "callback:",
      "  max_queued_callbacks_per_service: 2",
      "service.Limit2:",
      "  _type: ors",
      "  _max_queued_callbacks_per_service: 2",
      "service.Limit2Cancel:",
      "  _type: ors",
      "  _max_queued_callbacks_per_service: 2",
      "service.Limit2Scheduled:",
      "  _type: ors",
      "  _max_queued_callbacks_per_service: 2",
      "service.Limit2Routing:",
      "  _type: ors",
      "  _max_queued_callbacks_per_service: 2",
      "service.Limit0:",
      "  _type: ors",
      "  _max_queued_callbacks_per_service: 0",
      "service.Global:",
      "  _type: ors",
      "service.GlobalToo:",
      "  _type: ors",
      "service.Unlimited:",
      "  _type: ors",
      "  _max_queued_callbacks_per_service: -1",
      "service.Own3:",
      "  _type: ors",
      "  _max_queued_callbacks_per_service: 3",
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

  private static void assertLimit(Response response, String service) {
    assertError(response, 429, 40002, "Limit of queued callbacks for " + service + " is reached.");
  }

  @Test
  void third_immediate_callback_is_refused_at_a_limit_of_two() {
    Http.startQueued(server, "Limit2", number());
    Http.startQueued(server, "Limit2", number());
    String third = number();

    assertLimit(post(server, "Limit2", body("_customer_number", third)), "Limit2");
    assertNothingStored(server, third);
  }

  @Test
  void cancelling_a_queued_callback_frees_its_place() {
    String first = Http.startQueued(server, "Limit2Cancel", number());
    Http.startQueued(server, "Limit2Cancel", number());
    assertLimit(post(server, "Limit2Cancel", body("_customer_number", number())), "Limit2Cancel");

    Http.cancel(server, "Limit2Cancel", first);

    Http.startQueued(server, "Limit2Cancel", number());
    assertLimit(post(server, "Limit2Cancel", body("_customer_number", number())), "Limit2Cancel");
  }

  @Test
  void scheduled_callbacks_are_never_refused_and_take_no_place() {
    for (int i = 0; i < 3; i++) {
      Http.startScheduled(server, "Limit2Scheduled", number());
    }
    Http.startQueued(server, "Limit2Scheduled", number());
    Http.startQueued(server, "Limit2Scheduled", number());
    assertLimit(post(server, "Limit2Scheduled", body("_customer_number", number())), "Limit2Scheduled");

    Http.startScheduled(server, "Limit2Scheduled", number());
  }

  @Test
  void a_callback_that_left_queued_frees_its_place() {
    String first = Http.startQueued(server, "Limit2Routing", number());
    Http.startQueued(server, "Limit2Routing", number());
    assertLimit(post(server, "Limit2Routing", body("_customer_number", number())), "Limit2Routing");

    Response routing = server.putJson(Http.path("Limit2Routing", first), body("_callback_state", "ROUTING"));
    assertThat(routing.status()).as(routing.body()).isEqualTo(200);

    Http.startQueued(server, "Limit2Routing", number());
  }

  @Test
  void zero_refuses_every_immediate_start() {
    String number = number();

    assertLimit(post(server, "Limit0", body("_customer_number", number)), "Limit0");
    assertNothingStored(server, number);
  }

  @Test
  void zero_refuses_a_scheduled_request_inside_the_buffer() {
    assertLimit(post(server, "Limit0", body("_customer_number", number(),
        "_desired_time", Http.iso(Http.now().plusSeconds(30)))), "Limit0");
  }

  @Test
  void zero_accepts_scheduled_callbacks() {
    String id = Http.startScheduled(server, "Limit0", number());

    assertThat(Http.state(server, "Limit0", id)).isEqualTo("SCHEDULED");
  }

  @Test
  void callback_section_limit_applies_when_the_service_does_not_set_one() {
    Http.startQueued(server, "Global", number());
    Http.startQueued(server, "Global", number());

    assertLimit(post(server, "Global", body("_customer_number", number())), "Global");
  }

  @Test
  void callback_section_limit_is_per_service() {
    Http.startQueued(server, "GlobalToo", number());
    Http.startQueued(server, "GlobalToo", number());

    assertLimit(post(server, "GlobalToo", body("_customer_number", number())), "GlobalToo");
  }

  @Test
  void a_negative_service_value_means_no_limit() {
    for (int i = 0; i < 5; i++) {
      Http.startQueued(server, "Unlimited", number());
    }
  }

  @Test
  void the_service_value_wins_over_the_callback_section() {
    for (int i = 0; i < 3; i++) {
      Http.startQueued(server, "Own3", number());
    }

    assertLimit(post(server, "Own3", body("_customer_number", number())), "Own3");
  }

  @Test
  void a_reschedule_into_a_full_queue_is_refused_with_40002() {
    String id = Http.startScheduled(server, "Limit0", number());

    assertLimit(server.putJson(Http.path("Limit0", id), body("_new_desired_time", Http.iso(Http.now()))), "Limit0");
    assertThat(Http.state(server, "Limit0", id)).isEqualTo("SCHEDULED");
  }
}

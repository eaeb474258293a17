package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.assertNothingStored;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Step 12c of docs/admission.md: {@code _throttle_callbacks_per_service_1/2} over {@code
 * _throttle_ttl_1/2} (40003). Each test has its own service: the counts are per service.
 */
class RateLimitTest {
  private static final String CONFIG = String.join("\n",
      service("Rate3", "_throttle_callbacks_per_service_1: 3", "_throttle_ttl_1: 300"),
      service("Rate3Sched", "_throttle_callbacks_per_service_1: 3", "_throttle_ttl_1: 300"),
      service("Rate3Buffer", "_throttle_callbacks_per_service_1: 3", "_throttle_ttl_1: 300"),
      service("Rate3Cancel", "_throttle_callbacks_per_service_1: 3", "_throttle_ttl_1: 300"),
      service("RateTtl0", "_throttle_callbacks_per_service_1: 1", "_throttle_ttl_1: 0"),
      service("RateLimit0", "_throttle_callbacks_per_service_1: 0"),
      service("RateNegative", "_throttle_callbacks_per_service_1: -1", "_throttle_ttl_1: 300"),
      service("RateNegativeTtl", "_throttle_callbacks_per_service_1: 2", "_throttle_ttl_1: -5"),
      service("RateBoth", "_throttle_callbacks_per_service_1: 2", "_throttle_ttl_1: 300",
          "_throttle_callbacks_per_service_2: 2", "_throttle_ttl_2: 600"),
      service("RateSecond", "_throttle_callbacks_per_service_2: 2", "_throttle_ttl_2: 600"),
      service("RateRefused", "_throttle_callbacks_per_service_1: 2", "_throttle_ttl_1: 300",
          "_enable_in_queue_checking: strict"),
      "");

  private static TestServer server;

  static String service(String name, String... options) {
    List<String> lines = new ArrayList<>();
    lines.add("service." + name + ":");
    lines.add("  _type: ors");
    boolean dup = false;
    for (String option : options) {
      lines.add("  " + option);
      dup |= option.startsWith("_enable_in_queue_checking");
    }
    if (!dup) {
      lines.add("  _enable_in_queue_checking: false");
    }
    return String.join("\n", lines);
  }

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG + "\nengine:\n  agents: 0\n");
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static void assertThrottled(Response response, String service, int interval) {
    assertError(response, 429, 40003,
        "Limit of queued callbacks for " + service + " is reached for interval " + interval + "s.");
  }

  @Test
  void fourth_immediate_callback_within_the_interval_is_refused_naming_it() {
    for (int i = 0; i < 3; i++) {
      Http.startQueued(server, "Rate3", number());
    }
    String fourth = number();

    assertThrottled(post(server, "Rate3", body("_customer_number", fourth)), "Rate3", 300);
    assertNothingStored(server, fourth);
    assertThrottled(post(server, "Rate3", body("_customer_number", number())), "Rate3", 300);
  }

  @Test
  void scheduled_callbacks_are_not_throttled_and_not_counted() {
    Http.startScheduled(server, "Rate3Sched", number());
    Http.startScheduled(server, "Rate3Sched", number());
    for (int i = 0; i < 3; i++) {
      Http.startQueued(server, "Rate3Sched", number());
    }
    assertThrottled(post(server, "Rate3Sched", body("_customer_number", number())), "Rate3Sched", 300);

    String id = Http.startScheduled(server, "Rate3Sched", number());
    assertThat(Http.state(server, "Rate3Sched", id)).isEqualTo("SCHEDULED");
  }

  @Test
  void a_scheduled_request_inside_the_buffer_is_immediate_and_throttled() {
    for (int i = 0; i < 3; i++) {
      Http.startQueued(server, "Rate3Buffer", number());
    }

    assertThrottled(post(server, "Rate3Buffer",
        body("_customer_number", number(), "_desired_time", Http.iso(Http.now().plusSeconds(30)))), "Rate3Buffer", 300);
  }

  @Test
  void cancelled_callbacks_still_count() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      ids.add(Http.startQueued(server, "Rate3Cancel", number()));
    }
    ids.forEach(id -> Http.cancel(server, "Rate3Cancel", id));

    assertThrottled(post(server, "Rate3Cancel", body("_customer_number", number())), "Rate3Cancel", 300);
  }

  @Test
  void ttl_zero_turns_the_limit_off() {
    for (int i = 0; i < 4; i++) {
      Http.startQueued(server, "RateTtl0", number());
    }
  }

  @Test
  void limit_zero_refuses_every_immediate_request_and_names_the_default_interval() {
    String number = number();

    assertThrottled(post(server, "RateLimit0", body("_customer_number", number)), "RateLimit0", 300);
    assertNothingStored(server, number);
  }

  @Test
  void limit_zero_accepts_scheduled_callbacks() {
    Http.startScheduled(server, "RateLimit0", number());
  }

  @Test
  void a_negative_limit_means_the_default_500() {
    for (int i = 0; i < 5; i++) {
      Http.startQueued(server, "RateNegative", number());
    }
  }

  @Test
  void a_negative_ttl_means_the_default_300_seconds() {
    Http.startQueued(server, "RateNegativeTtl", number());
    Http.startQueued(server, "RateNegativeTtl", number());

    assertThrottled(post(server, "RateNegativeTtl", body("_customer_number", number())), "RateNegativeTtl", 300);
  }

  @Test
  void when_both_limits_are_exceeded_limit_one_is_named() {
    Http.startQueued(server, "RateBoth", number());
    Http.startQueued(server, "RateBoth", number());

    assertThrottled(post(server, "RateBoth", body("_customer_number", number())), "RateBoth", 300);
  }

  @Test
  void limit_two_alone_names_its_own_interval() {
    Http.startQueued(server, "RateSecond", number());
    Http.startQueued(server, "RateSecond", number());

    assertThrottled(post(server, "RateSecond", body("_customer_number", number())), "RateSecond", 600);
  }

  @Test
  void refused_requests_do_not_count() {
    String number = number();
    Http.startQueued(server, "RateRefused", number);
    for (int i = 0; i < 3; i++) {
      assertError(post(server, "RateRefused", body("_customer_number", number)), 429, 40001);
    }

    Http.startQueued(server, "RateRefused", number());
    assertThrottled(post(server, "RateRefused", body("_customer_number", number())), "RateRefused", 300);
  }
}

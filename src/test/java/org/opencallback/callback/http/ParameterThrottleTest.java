package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;
import static org.opencallback.callback.http.Http.properties;
import static org.opencallback.callback.http.RateLimitTest.service;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Step 12d of docs/admission.md: {@code _throttle_request_parameters} with {@code
 * _throttle_request_parameters_limit} per value per day (40004), header values with {@code
 * _enable_throttle_header_parameters}, the older {@code _throttle_customer_number_limit}.
 */
class ParameterThrottleTest {
  private static final String CONFIG = String.join("\n",
      service("P2", "_throttle_request_parameters_limit: 2"),
      service("P2Cancel", "_throttle_request_parameters_limit: 2"),
      service("PAccount", "_throttle_request_parameters: _customer_number,account",
          "_throttle_request_parameters_limit: 2"),
      service("PHeader", "_throttle_request_parameters: account", "_throttle_request_parameters_limit: 2",
          "_enable_throttle_header_parameters: true"),
      service("PBody", "_throttle_request_parameters: account", "_throttle_request_parameters_limit: 2",
          "_enable_throttle_header_parameters: false"),
      service("POld", "_throttle_customer_number_limit: 1"),
      service("PBothNames", "_throttle_request_parameters_limit: 3", "_throttle_customer_number_limit: 1"),
      service("PDefault"),
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

  private static Map<String, Object> assertThrottled(Response response, String service, String parameter, int times) {
    return assertError(response, 429, 40004, "Limit of queued callbacks for " + service
        + " is reached for parameter " + parameter + ". Reached " + times + " times today.");
  }

  private static int stored(String service, String number) {
    return Http.lookup(server, service, "_customer_number=" + Http.encode(number)).size();
  }

  @Test
  void third_immediate_callback_for_the_same_number_is_refused() {
    String number = number();
    Http.startQueued(server, "P2", number);
    Http.startQueued(server, "P2", number);

    Map<String, Object> error = assertThrottled(post(server, "P2", body("_customer_number", number)),
        "P2", "_customer_number", 2);
    assertThat(properties(error)).containsEntry("parameter", "_customer_number");
    assertThat(stored("P2", number)).isEqualTo(2);
  }

  @Test
  void the_number_is_counted_in_its_stored_form() {
    Http.startQueued(server, "P2", "+1 617 555 0160");
    Http.startQueued(server, "P2", "617-555-0160");

    assertThrottled(post(server, "P2", body("_customer_number", "(617) 555-0160")), "P2", "_customer_number", 2);
  }

  @Test
  void different_numbers_are_counted_apart() {
    String number = number();
    Http.startQueued(server, "P2", number);
    Http.startQueued(server, "P2", number);

    for (int i = 0; i < 3; i++) {
      Http.startQueued(server, "P2", number());
    }
  }

  @Test
  void scheduled_callbacks_are_neither_throttled_nor_counted() {
    String number = number();
    Http.startScheduled(server, "P2", number);
    Http.startQueued(server, "P2", number);
    Http.startQueued(server, "P2", number);
    Http.startScheduled(server, "P2", number);

    assertThrottled(post(server, "P2", body("_customer_number", number)), "P2", "_customer_number", 2);
  }

  @Test
  void cancelled_callbacks_still_count() {
    String number = number();
    Http.cancel(server, "P2Cancel", Http.startQueued(server, "P2Cancel", number));
    Http.cancel(server, "P2Cancel", Http.startQueued(server, "P2Cancel", number));

    assertThrottled(post(server, "P2Cancel", body("_customer_number", number)), "P2Cancel", "_customer_number", 2);
  }

  @Test
  void a_user_data_field_listed_in_the_parameters_is_counted_per_value() {
    Http.start(server, "PAccount", body("_customer_number", number(), "account", "A-1"));
    Http.start(server, "PAccount", body("_customer_number", number(), "account", "A-1"));
    String number = number();

    assertThrottled(post(server, "PAccount", body("_customer_number", number, "account", "A-1")),
        "PAccount", "account", 2);
    Http.assertNothingStored(server, number);
    Http.start(server, "PAccount", body("_customer_number", number, "account", "A-2"));
    Http.start(server, "PAccount", body("_customer_number", number()));
  }

  @Test
  void every_listed_parameter_is_counted() {
    String number = number();
    Http.start(server, "PAccount", body("_customer_number", number, "account", "B-1"));
    Http.start(server, "PAccount", body("_customer_number", number, "account", "B-2"));

    assertThrottled(post(server, "PAccount", body("_customer_number", number, "account", "B-3")),
        "PAccount", "_customer_number", 2);
  }

  @Test
  void the_header_value_is_counted_when_header_parameters_are_enabled() {
    Map<String, String> header = Map.of("account", "H-X");
    assertThat(post(server, "PHeader", body("_customer_number", number(), "account", "H-Y"), header).status())
        .isEqualTo(200);
    assertThat(post(server, "PHeader", body("_customer_number", number(), "account", "H-Y"), header).status())
        .isEqualTo(200);

    assertThrottled(post(server, "PHeader", body("_customer_number", number(), "account", "H-Z"), header),
        "PHeader", "account", 2);
    assertThrottled(post(server, "PHeader", body("_customer_number", number(), "account", "H-X")),
        "PHeader", "account", 2);
    // the body value was never counted
    Http.start(server, "PHeader", body("_customer_number", number(), "account", "H-Y"));
    Http.start(server, "PHeader", body("_customer_number", number(), "account", "H-Y"));
  }

  @Test
  void the_body_value_is_counted_when_header_parameters_are_disabled() {
    Map<String, String> header = Map.of("account", "G-X");
    assertThat(post(server, "PBody", body("_customer_number", number(), "account", "G-Y"), header).status())
        .isEqualTo(200);
    assertThat(post(server, "PBody", body("_customer_number", number(), "account", "G-Y"), header).status())
        .isEqualTo(200);

    assertThrottled(post(server, "PBody", body("_customer_number", number(), "account", "G-Y")),
        "PBody", "account", 2);
    Response other = post(server, "PBody", body("_customer_number", number(), "account", "G-Z"), header);
    assertThat(other.status()).as(other.body()).isEqualTo(200);
  }

  @Test
  void the_older_customer_number_limit_is_used_when_only_it_is_set() {
    String number = number();
    Http.startQueued(server, "POld", number);

    assertThrottled(post(server, "POld", body("_customer_number", number)), "POld", "_customer_number", 1);
  }

  @Test
  void the_newer_limit_wins_when_both_names_are_set() {
    String number = number();
    for (int i = 0; i < 3; i++) {
      Http.startQueued(server, "PBothNames", number);
    }

    assertThrottled(post(server, "PBothNames", body("_customer_number", number)), "PBothNames", "_customer_number", 3);
  }

  @Test
  void the_default_limit_is_six_per_number() {
    String number = number();
    for (int i = 0; i < 6; i++) {
      Http.startQueued(server, "PDefault", number);
    }

    assertThrottled(post(server, "PDefault", body("_customer_number", number)), "PDefault", "_customer_number", 6);
    assertThat(List.of(stored("PDefault", number))).containsExactly(6);
  }
}

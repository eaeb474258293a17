package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.assertNothingStored;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.iso;
import static org.opencallback.callback.http.Http.now;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;

import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;

/**
 * The order of docs/admission.md: a request breaking two rules is refused by the earlier step, and
 * nothing is stored.
 */
class AdmissionOrderTest {
  private static final String PREMIUM = "+19005551234";
  private static final String CONFIG = String.join("\n",
      "cb_errors:",
      "  \"911\": \"911-\"",
      "service.Strictest:",
      "  _type: ors",
      "  _customer_lookup_keys: _customer_number,account",
      "  _mandatory_customer_lookup_keys: _customer_number,account",
      "  _exceptions: cb_errors",
      "  _reject_future_desired_time: 2d",
      "  _reject_past_desired_time: 60",
      "service.Tokens:",
      "  _type: ors",
      "  _ttl: $ttl$",
      "  _redirect: Nowhere$ttl$",
      "  _overwritable_options: _redirect",
      "service.RedirectsToLenient:",
      "  _type: ors",
      "  _mandatory_customer_lookup_keys: _customer_number,account",
      "  _redirect: Lenient",
      "service.Lenient:",
      "  _type: ors",
      "service.Closed:",
      "  _type: ors",
      "  _reject_past_desired_time: 60",
      "  _max_queued_callbacks_per_service: 0",
      "service.DupAndQueue:",
      "  _type: ors",
      "  _enable_in_queue_checking: strict",
      "  _max_queued_callbacks_per_service: 1",
      "service.QueueAndRate:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "  _max_queued_callbacks_per_service: 1",
      "  _throttle_callbacks_per_service_1: 1",
      "service.RateAndParam:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "  _throttle_callbacks_per_service_1: 1",
      "  _throttle_request_parameters_limit: 1",
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

  @Test
  void unknown_service_comes_first() {
    assertError(post(server, "NoSuchService", body("_copy_from_id", "nope", "_customer_number", PREMIUM)), 404, 40010,
        "Callback service 'NoSuchService' is not configured");
  }

  @Test
  void redial_comes_before_mandatory_keys_and_numbers() {
    assertError(post(server, "Strictest", body("_copy_from_id", "nope", "_customer_number", PREMIUM)), 400, 40030,
        "Callback nope to copy from cannot be found");
  }

  @Test
  void a_bad_token_comes_before_redirect() {
    Map<String, Object> error = assertError(post(server, "Tokens", body("_customer_number", number(), "ttl", "x")),
        400, 40010);
    assertThat((String) error.get("message")).contains("_ttl");
  }

  @Test
  void redirect_comes_before_the_source_services_mandatory_keys() {
    String id = Http.start(server, "RedirectsToLenient", body("_customer_number", number()));

    assertThat(Http.get(server, "Lenient", id)).containsEntry("_service_name", "Lenient");
  }

  @Test
  void mandatory_keys_come_before_the_desired_time_and_the_number() {
    assertError(post(server, "Strictest", body("_customer_number", PREMIUM, "_desired_time", "not a time")), 400, 40010,
        "Mandatory parameter account is missing (option _mandatory_customer_lookup_keys)");
  }

  @Test
  void an_unreadable_desired_time_comes_before_the_number() {
    Map<String, Object> error = assertError(post(server, "Strictest",
        body("_customer_number", PREMIUM, "account", "A", "_desired_time", "not a time")), 400, 40010);
    assertThat((String) error.get("message")).contains("_desired_time");
  }

  @Test
  void the_number_comes_before_exception_patterns() {
    assertError(post(server, "Strictest", body("_customer_number", PREMIUM, "account", "911-")), 400, 40040,
        "Customer Number [+19005551234] is disallowed, because it's a premium number."
            + " Check option _disallow_premium_phone_numbers");
  }

  @Test
  void exception_patterns_come_before_the_future_limit() {
    String number = number();
    assertError(post(server, "Strictest", body("_customer_number", number, "account", "911-",
            "_desired_time", iso(now().plus(5, ChronoUnit.DAYS)))), 400, 40040,
        "Callback request rejected: account matches exception pattern '911' of cb_errors (option _exceptions)");
    assertNothingStored(server, number);
  }

  @Test
  void the_past_limit_comes_before_the_queued_limit() {
    String number = number();
    assertError(post(server, "Closed", body("_customer_number", number,
        "_desired_time", iso(now().minus(1, ChronoUnit.HOURS)))), 400, 40050);
    assertNothingStored(server, number);
  }

  @Test
  void duplicates_come_before_the_queued_limit() {
    String number = number();
    Http.startQueued(server, "DupAndQueue", number);

    assertError(post(server, "DupAndQueue", body("_customer_number", number)), 429, 40001);
    assertError(post(server, "DupAndQueue", body("_customer_number", number())), 429, 40002);
  }

  @Test
  void the_queued_limit_comes_before_the_rate_limit() {
    Http.startQueued(server, "QueueAndRate", number());

    assertError(post(server, "QueueAndRate", body("_customer_number", number())), 429, 40002,
        "Limit of queued callbacks for QueueAndRate is reached.");
  }

  @Test
  void the_rate_limit_comes_before_the_parameter_limit() {
    String number = number();
    Http.startQueued(server, "RateAndParam", number);

    assertError(post(server, "RateAndParam", body("_customer_number", number)), 429, 40003,
        "Limit of queued callbacks for RateAndParam is reached for interval 300s.");
  }
}

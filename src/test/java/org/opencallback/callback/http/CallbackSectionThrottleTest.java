package org.opencallback.callback.http;

import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;
import static org.opencallback.callback.http.RateLimitTest.service;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;

/**
 * Throttle options set in the {@code callback} section: each resolves on its own (service, else
 * section, else default), a negative value at either level meaning the default.
 */
class CallbackSectionThrottleTest {
  private static final String CONFIG = String.join("\n",
      "callback:",
      "  _throttle_callbacks_per_service_1: 3",
      "  _throttle_ttl_1: 120",
      "  _throttle_request_parameters_limit: 2",
      service("Inherit"),
      service("InheritToo"),
      service("OwnTtl", "_throttle_ttl_1: 200"),
      service("NegativeLimit", "_throttle_callbacks_per_service_1: -1"),
      service("ParamInherit", "_throttle_callbacks_per_service_1: 100"),
      service("ParamNegative", "_throttle_callbacks_per_service_1: 100", "_throttle_request_parameters_limit: -1"),
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
  void the_rate_limit_of_the_callback_section_applies() {
    for (int i = 0; i < 3; i++) {
      Http.startQueued(server, "Inherit", number());
    }

    assertError(post(server, "Inherit", body("_customer_number", number())), 429, 40003,
        "Limit of queued callbacks for Inherit is reached for interval 120s.");
  }

  @Test
  void the_callback_section_limit_is_counted_per_service() {
    for (int i = 0; i < 3; i++) {
      Http.startQueued(server, "InheritToo", number());
    }

    assertError(post(server, "InheritToo", body("_customer_number", number())), 429, 40003,
        "Limit of queued callbacks for InheritToo is reached for interval 120s.");
  }

  @Test
  void options_resolve_one_by_one() {
    for (int i = 0; i < 3; i++) {
      Http.startQueued(server, "OwnTtl", number());
    }

    assertError(post(server, "OwnTtl", body("_customer_number", number())), 429, 40003,
        "Limit of queued callbacks for OwnTtl is reached for interval 200s.");
  }

  @Test
  void a_negative_service_value_means_the_default_not_the_section_value() {
    for (int i = 0; i < 5; i++) {
      Http.startQueued(server, "NegativeLimit", number());
    }
  }

  @Test
  void the_parameter_limit_of_the_callback_section_applies() {
    String number = number();
    Http.startQueued(server, "ParamInherit", number);
    Http.startQueued(server, "ParamInherit", number);

    assertError(post(server, "ParamInherit", body("_customer_number", number)), 429, 40004,
        "Limit of queued callbacks for ParamInherit is reached for parameter _customer_number. Reached 2 times today.");
  }

  @Test
  void a_negative_parameter_limit_means_the_default_six() {
    String number = number();
    for (int i = 0; i < 6; i++) {
      Http.startQueued(server, "ParamNegative", number);
    }

    assertError(post(server, "ParamNegative", body("_customer_number", number)), 429, 40004,
        "Limit of queued callbacks for ParamNegative is reached for parameter _customer_number. Reached 6 times today.");
  }
}

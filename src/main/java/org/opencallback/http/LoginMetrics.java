package org.opencallback.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The {@value Authentication#LOGINS} counter: realm × outcome, both from fixed sets (bounded series). */
final class LoginMetrics {
  private final MeterRegistry registry;

  LoginMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * @param realm admin (users section, HTTP Basic), ui (the UI's login form) or service
   * @param outcome accepted, refused, throttled or busy
   */
  void outcome(String realm, String outcome) {
    Counter.builder(Authentication.LOGINS)
        .description("Credential checks by realm (admin: users section by HTTP Basic, ui: the UI's login form,"
            + " service: [server] / service password) and outcome (accepted, refused, throttled, busy)")
        .tag("realm", realm)
        .tag("outcome", outcome)
        .register(registry)
        .increment();
  }
}

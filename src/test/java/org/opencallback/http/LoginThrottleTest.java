package org.opencallback.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.MutableClock;

/** The login throttle's keys and buckets (through HTTP: BruteForceTest, PasswordCheckCapTest). */
class LoginThrottleTest {
  @Test
  void ipv6_addresses_of_one_slash_64_share_a_key_and_other_prefixes_do_not() {
    assertThat(LoginThrottle.key("2001:db8:1:2::1")).isEqualTo(LoginThrottle.key("2001:db8:1:2:ffff:ffff:ffff:fffe"))
        .isEqualTo(LoginThrottle.key("2001:0db8:0001:0002:0:0:0:7%eth0"));
    assertThat(LoginThrottle.key("2001:db8:1:3::1")).isNotEqualTo(LoginThrottle.key("2001:db8:1:2::1"));
    assertThat(LoginThrottle.key("192.0.2.1")).isEqualTo("192.0.2.1").isNotEqualTo(LoginThrottle.key("192.0.2.2"));
    assertThat(LoginThrottle.key("::ffff:192.0.2.1")).isEqualTo("192.0.2.1");
    assertThat(LoginThrottle.key("not an address")).isEqualTo("not an address");
  }

  @Test
  void rotating_through_a_slash_64_gets_no_more_guesses_than_one_address() {
    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
    LoginThrottle throttle = new LoginThrottle(clock);
    for (int i = 0; i < LoginThrottle.MAX_FAILURES; i++) {
      assertThat(throttle.begin("2001:db8:1:2::" + Integer.toHexString(i + 1))).isTrue();
    }
    assertThat(throttle.begin("2001:db8:1:2::abcd")).isFalse();
    assertThat(throttle.waitFor("2001:db8:1:2:1:2:3:4")).isPositive();
    assertThat(throttle.begin("2001:db8:1:3::1")).as("the next /64 is another client").isTrue();

    clock.advance(LoginThrottle.WINDOW.plus(Duration.ofSeconds(1)));
    assertThat(throttle.waitFor("2001:db8:1:2::abcd")).isZero();
    assertThat(throttle.begin("2001:db8:1:2::abcd")).isTrue();
  }

  @Test
  void a_successful_check_gives_its_attempt_back() {
    LoginThrottle throttle = new LoginThrottle(new MutableClock(Instant.parse("2026-03-02T10:00:00Z")));
    for (int i = 0; i < 100; i++) {
      assertThat(throttle.begin("192.0.2.9")).isTrue();
      throttle.succeeded("192.0.2.9");
    }
    assertThat(throttle.waitFor("192.0.2.9")).isZero();
  }
}

package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.assertNothingStored;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.iso;
import static org.opencallback.callback.http.Http.now;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;

/** Step 10 of docs/admission.md: {@code _reject_future_desired_time}, {@code _reject_past_desired_time} (40050). */
class DesiredTimeLimitTest {
  private static final String CONFIG = String.join("\n",
      "service.TwoWeeks:",
      "  _type: ors",
      "  _reject_future_desired_time: 2w",
      "service.Default:",
      "  _type: ors",
      "service.ThreeDays:",
      "  _type: ors",
      "  _reject_future_desired_time: 3d",
      "service.PastHour:",
      "  _type: ors",
      "  _reject_past_desired_time: 3600",
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

  private static Map<String, Object> startIn(String service, Duration ahead) {
    String id = Http.start(server, service, body("_customer_number", number(), "_desired_time", iso(now().plus(ahead))));
    return Http.get(server, service, id);
  }

  @Test
  void two_weeks_refuses_fifteen_days_ahead() {
    String number = number();

    assertError(post(server, "TwoWeeks", body("_customer_number", number,
        "_desired_time", iso(now().plus(15, ChronoUnit.DAYS)))), 400, 40050);
    assertNothingStored(server, number);
  }

  @Test
  void two_weeks_accepts_thirteen_days_ahead() {
    assertThat(startIn("TwoWeeks", Duration.ofDays(13))).containsEntry("_callback_state", "SCHEDULED");
  }

  @Test
  void the_message_names_the_option() {
    Map<String, Object> error = assertError(post(server, "ThreeDays", body("_customer_number", number(),
        "_desired_time", iso(now().plus(4, ChronoUnit.DAYS)))), 400, 40050);

    assertThat((String) error.get("message")).contains("_reject_future_desired_time=3d").contains("too far in the future");
    assertThat(startIn("ThreeDays", Duration.ofDays(2))).containsEntry("_callback_state", "SCHEDULED");
  }

  @Test
  void default_is_one_month() {
    assertError(post(server, "Default", body("_customer_number", number(),
        "_desired_time", iso(now().plus(32, ChronoUnit.DAYS)))), 400, 40050);
    assertThat(startIn("Default", Duration.ofDays(27))).containsEntry("_callback_state", "SCHEDULED");
  }

  @Test
  void past_limit_refuses_two_hours_ago() {
    String number = number();

    Map<String, Object> error = assertError(post(server, "PastHour", body("_customer_number", number,
        "_desired_time", iso(now().minus(2, ChronoUnit.HOURS)))), 400, 40050);
    assertThat((String) error.get("message")).contains("_reject_past_desired_time=3600");
    assertNothingStored(server, number);
  }

  @Test
  void past_limit_accepts_thirty_minutes_ago_as_immediate() {
    assertThat(startIn("PastHour", Duration.ofMinutes(-30))).containsEntry("_callback_state", "QUEUED");
  }

  @Test
  void without_a_past_limit_any_past_time_is_immediate() {
    assertThat(startIn("Default", Duration.ofDays(-3))).containsEntry("_callback_state", "QUEUED");
  }

  @Test
  void a_reschedule_beyond_the_future_limit_is_refused_with_40050() {
    String id = (String) startIn("ThreeDays", Duration.ofDays(1)).get("_id");

    assertError(server.putJson(Http.path("ThreeDays", id),
        body("_new_desired_time", iso(now().plus(4, ChronoUnit.DAYS)))), 400, 40050);
    assertThat(Http.state(server, "ThreeDays", id)).isEqualTo("SCHEDULED");
  }
}

package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Step 2 of docs/admission.md: redial with {@code _copy_from_id} (40030, 40020). */
class RedialTest {
  private static final String CONFIG = String.join("\n",
      "service.Redial:",
      "  _type: ors",
      "service.Elsewhere:",
      "  _type: ors",
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

  /** A COMPLETED callback with user data and a desired time two days ahead (a PUT of a session id is ignored). */
  private static String completed(String number, Instant desired) {
    String id = Http.start(server, "Redial", body("_customer_number", number, "_desired_time", Http.iso(desired),
        "first_name", "Ada", "account", "R-1", "note", "original"));
    Response session = server.putJson(Http.path("Redial", id), body("_ors_session_id", "ORS-SESSION-1"));
    assertThat(session.status()).as(session.body()).isEqualTo(200);
    Response done = server.putJson(Http.path("Redial", id),
        body("_callback_state", "COMPLETED", "_callback_reason", "ABANDONED_IN_QUEUE"));
    assertThat(done.status()).as(done.body()).isEqualTo(200);
    assertThat(Http.get(server, "Redial", id)).doesNotContainKey("_ors_session_id");
    return id;
  }

  @Test
  void copies_user_data_and_number_of_a_completed_callback_the_request_winning() {
    String number = number();
    Instant desired = Http.now().plus(2, ChronoUnit.DAYS);
    String source = completed(number, desired);

    String id = Http.start(server, "Redial", body("_copy_from_id", source, "note", "redial"));

    Map<String, Object> copy = Http.get(server, "Redial", id);
    assertThat(copy)
        .containsEntry("_customer_number", number)
        .containsEntry("first_name", "Ada")
        .containsEntry("account", "R-1")
        .containsEntry("note", "redial")
        .containsEntry("_callback_state", "QUEUED")
        .doesNotContainKey("_ors_session_id");
    assertThat(Instant.parse((String) copy.get("_desired_time"))).isBefore(desired.minus(1, ChronoUnit.DAYS));
    assertThat(copy.get("_id")).isNotEqualTo(source);
    assertThat(Http.get(server, "Redial", source)).containsEntry("_callback_state", "COMPLETED");
  }

  @Test
  void the_request_number_wins_over_the_copied_one() {
    String source = completed(number(), Http.now().plus(2, ChronoUnit.DAYS));
    String other = number();

    String id = Http.start(server, "Redial", body("_copy_from_id", source, "_customer_number", other));

    assertThat(Http.get(server, "Redial", id)).containsEntry("_customer_number", other).containsEntry("first_name", "Ada");
  }

  @Test
  void the_copy_gets_its_own_desired_time_and_state() {
    String source = completed(number(), Http.now().plus(2, ChronoUnit.DAYS));
    Instant desired = Http.now().plus(3, ChronoUnit.DAYS);

    String id = Http.start(server, "Redial", body("_copy_from_id", source, "_desired_time", Http.iso(desired)));

    Map<String, Object> copy = Http.get(server, "Redial", id);
    assertThat(copy).containsEntry("_callback_state", "SCHEDULED");
    assertThat(Instant.parse((String) copy.get("_desired_time"))).isEqualTo(desired);
  }

  @Test
  void an_unknown_id_is_refused_with_40030() {
    assertError(post(server, "Redial", body("_copy_from_id", "no-such-callback", "_customer_number", number())),
        400, 40030, "Callback no-such-callback to copy from cannot be found");
  }

  @Test
  void an_active_source_is_refused_with_40020_and_nothing_is_stored() {
    String number = number();
    String active = Http.startScheduled(server, "Redial", number);

    assertError(post(server, "Redial", body("_copy_from_id", active)), 400, 40020);
    assertThat(Http.lookupAll(server, number)).extracting(c -> c.get("_id")).containsExactly(active);
  }

  @Test
  void a_copy_goes_through_the_admission_checks() {
    String number = number();
    String source = completed(number, Http.now().plus(2, ChronoUnit.DAYS));
    Http.startQueued(server, "Redial", number);
    Http.startQueued(server, "Redial", number);

    assertError(post(server, "Redial", body("_copy_from_id", source)), 429, 40001);
  }
}

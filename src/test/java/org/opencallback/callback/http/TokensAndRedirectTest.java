package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.assertNothingStored;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.iso;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;
import static org.opencallback.callback.http.Http.properties;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Steps 3–5 of docs/admission.md: token variables, overwritable options, redirect (50040). */
class TokensAndRedirectTest {
  private static final String CONFIG = String.join("\n",
      "service.Tokens:",
      "  _type: ors",
      "  _ttl: $ttl$",
      "service.Overwrite:",
      "  _type: ors",
      "  _overwritable_options: _target,_redirect",
      "service.Target:",
      "  _type: ors",
      "service.From:",
      "  _type: ors",
      "  _redirect: Target",
      "service.FromOverwritable:",
      "  _type: ors",
      "  _redirect: Target",
      "  _overwritable_options: _target,_redirect",
      "service.Closed:",
      "  _type: ors",
      "  _max_queued_callbacks_per_service: 0",
      "service.ToClosed:",
      "  _type: ors",
      "  _redirect: Closed",
      "service.Hop1:",
      "  _type: ors",
      "  _redirect: Hop2",
      "service.Hop2:",
      "  _type: ors",
      "  _redirect: Target",
      "service.LoopA:",
      "  _type: ors",
      "  _redirect: LoopB",
      "service.LoopB:",
      "  _type: ors",
      "  _redirect: LoopA",
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

  // ---------------------------------------------------------------- tokens

  @Test
  void a_token_takes_the_request_field_for_that_request() {
    Instant desired = Http.now().plus(2, ChronoUnit.DAYS);
    String id = Http.start(server, "Tokens",
        body("_customer_number", number(), "_desired_time", iso(desired), "ttl", "600"));

    Map<String, Object> stored = Http.get(server, "Tokens", id);
    assertThat(Instant.parse((String) stored.get("_expiration_time"))).isEqualTo(desired.plusSeconds(600));
  }

  @Test
  void a_token_is_filled_per_request() {
    Instant desired = Http.now().plus(2, ChronoUnit.DAYS);
    String id = Http.start(server, "Tokens",
        body("_customer_number", number(), "_desired_time", iso(desired), "ttl", "7200"));
    String absent = Http.start(server, "Tokens", body("_customer_number", number(), "_desired_time", iso(desired)));

    assertThat(Instant.parse((String) Http.get(server, "Tokens", id).get("_expiration_time")))
        .isEqualTo(desired.plusSeconds(7200));
    // absent field: the token is empty and the option takes its default (86400)
    assertThat(Instant.parse((String) Http.get(server, "Tokens", absent).get("_expiration_time")))
        .isEqualTo(desired.plusSeconds(86_400));
  }

  @Test
  void a_bad_filled_value_is_refused_with_40010_naming_the_option() {
    String number = number();

    Map<String, Object> error = assertError(
        post(server, "Tokens", body("_customer_number", number, "ttl", "abc")), 400, 40010);
    assertThat((String) error.get("message")).contains("_ttl").contains("abc");
    assertThat(properties(error)).containsEntry("option", "_ttl");
    assertNothingStored(server, number);
  }

  // ---------------------------------------------------------------- overwritable

  @Test
  void an_overwritable_target_is_taken_from_the_request_and_stored() {
    String id = Http.start(server, "Overwrite", body("_customer_number", number(), "_target", "Billing@statserver.GA"));

    Map<String, Object> stored = Http.get(server, "Overwrite", id);
    assertThat(stored).containsEntry("_target", "Billing@statserver.GA").containsEntry("_service_name", "Overwrite");
  }

  @Test
  void an_overwritable_redirect_from_the_request_sends_the_callback_to_that_service() {
    String id = Http.start(server, "Overwrite", body("_customer_number", number(), "_redirect", "Target"));

    assertThat(Http.get(server, "Target", id)).containsEntry("_service_name", "Target");
  }

  @Test
  void redirect_to_a_service_that_is_not_configured_answers_50040() {
    String number = number();

    Map<String, Object> error = assertError(
        post(server, "Overwrite", body("_customer_number", number, "_redirect", "Nowhere")), 500, 50040);
    assertThat((String) error.get("message")).contains("Nowhere");
    assertNothingStored(server, number);
  }

  // ---------------------------------------------------------------- redirect

  @Test
  void a_configured_redirect_creates_the_callback_in_the_target_service() {
    String number = number();
    String id = Http.start(server, "From", body("_customer_number", number));

    Map<String, Object> stored = Http.get(server, "Target", id);
    assertThat(stored).containsEntry("_service_name", "Target");
    assertThat(server.get(Http.path("From", id)).status()).isNotEqualTo(200);
    assertThat(Http.lookupAll(server, number)).extracting(c -> c.get("_id")).containsExactly(id);
  }

  @Test
  void redirects_chain() {
    String id = Http.start(server, "Hop1", body("_customer_number", number()));

    assertThat(Http.get(server, "Target", id)).containsEntry("_service_name", "Target");
  }

  @Test
  void an_empty_redirect_in_the_request_disables_redirection_when_overwritable() {
    String id = Http.start(server, "FromOverwritable", body("_customer_number", number(), "_redirect", ""));

    assertThat(Http.get(server, "FromOverwritable", id)).containsEntry("_service_name", "FromOverwritable");
  }

  @Test
  void an_empty_redirect_in_the_query_disables_redirection_when_overwritable() {
    Response response = server.postJson(Http.path("FromOverwritable") + "?_redirect=", body("_customer_number", number()));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    String id = (String) response.map().get("_id");

    assertThat(Http.get(server, "FromOverwritable", id)).containsEntry("_service_name", "FromOverwritable");
  }

  @Test
  void an_empty_redirect_in_the_request_is_ignored_when_not_overwritable() {
    String id = Http.start(server, "From", body("_customer_number", number(), "_redirect", ""));

    assertThat(Http.get(server, "Target", id)).containsEntry("_service_name", "Target");
  }

  @Test
  void a_target_that_refuses_answers_50040_with_its_message_and_code() {
    String number = number();

    Map<String, Object> error = assertError(post(server, "ToClosed", body("_customer_number", number)), 500, 50040,
        "Limit of queued callbacks for Closed is reached.");
    assertThat(properties(error)).containsEntry("redirect_code", 40002);
    assertNothingStored(server, number);
  }

  @Test
  void the_target_checks_apply_and_scheduled_requests_pass_a_closed_queue() {
    String id = Http.start(server, "ToClosed", body("_customer_number", number(), "_desired_time", Http.inTwoDays()));

    assertThat(Http.get(server, "Closed", id)).containsEntry("_callback_state", "SCHEDULED");
  }

  @Test
  void a_redirect_loop_stops_after_five_hops_with_50040() {
    String number = number();

    Map<String, Object> error = assertError(post(server, "LoopA", body("_customer_number", number)), 500, 50040);
    assertThat((String) error.get("message")).contains("more than 5 redirects");
    assertNothingStored(server, number);
  }
}

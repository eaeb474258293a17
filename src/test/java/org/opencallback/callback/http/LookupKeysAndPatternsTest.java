package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.assertNothingStored;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.number;
import static org.opencallback.callback.http.Http.post;
import static org.opencallback.callback.http.Http.properties;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/**
 * Steps 6 and 9 of docs/admission.md: mandatory lookup keys (40010), the keys a lookup accepts
 * (40020), exception patterns (40040, options.md §12).
 */
class LookupKeysAndPatternsTest {
  private static final String CONFIG = String.join("\n",
      "cb_errors:",
      "  \"911\": \"911-\"",
      "  blocked: \"\\\\+16175550199\"",
      "service.Keys:",
      "  _type: ors",
      "  _customer_lookup_keys: _customer_number,account",
      "  _mandatory_customer_lookup_keys: _customer_number,account",
      "service.Patterns:",
      "  _type: ors",
      "  _exceptions: cb_errors",
      "service.NoPatterns:",
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

  // ---------------------------------------------------------------- mandatory keys

  @Test
  void missing_mandatory_key_is_refused_with_40010() {
    String number = number();

    Map<String, Object> error = assertError(post(server, "Keys", body("_customer_number", number)), 400, 40010,
        "Mandatory parameter account is missing (option _mandatory_customer_lookup_keys)");
    assertThat(properties(error)).containsEntry("parameter", "account");
    assertNothingStored(server, number);
  }

  @Test
  void empty_mandatory_key_is_refused_with_40010() {
    assertError(post(server, "Keys", body("_customer_number", number(), "account", " ")), 400, 40010,
        "Mandatory parameter account is missing (option _mandatory_customer_lookup_keys)");
  }

  @Test
  void missing_mandatory_number_is_refused_with_40010() {
    assertError(post(server, "Keys", body("account", "K-0")), 400, 40010,
        "Mandatory parameter _customer_number is missing (option _mandatory_customer_lookup_keys)");
  }

  @Test
  void all_mandatory_keys_present_is_accepted_and_found_by_either_key() {
    String number = number();
    String id = Http.start(server, "Keys", body("_customer_number", number, "account", "K-1"));

    assertThat(Http.lookup(server, "Keys", "account=K-1")).extracting(c -> c.get("_id")).containsExactly(id);
    assertThat(Http.lookup(server, "Keys", "_customer_number=" + Http.encode(number)))
        .extracting(c -> c.get("_id")).containsExactly(id);
  }

  @Test
  void lookup_by_a_key_not_in_the_lookup_keys_is_refused_with_40020() {
    Http.start(server, "Keys", body("_customer_number", number(), "account", "K-2", "other", "O-1"));

    Response response = server.get(Http.path("Keys") + "?other=O-1");

    assertError(response, 400, 40020, "Cannot process 'filter' parameter correctly : other=O-1");
  }

  // ---------------------------------------------------------------- exception patterns

  @Test
  void a_value_matching_a_pattern_is_refused_naming_the_label() {
    String number = number();

    Map<String, Object> error = assertError(
        post(server, "Patterns", body("_customer_number", number, "note", "dial 911-now")), 400, 40040,
        "Callback request rejected: note matches exception pattern '911' of cb_errors (option _exceptions)");
    assertThat(properties(error)).containsEntry("label", "911");
    assertNothingStored(server, number);
  }

  @Test
  void the_number_is_matched_in_its_stored_form_with_plus() {
    Response response = post(server, "Patterns", body("_customer_number", "(617) 555-0199"));

    assertError(response, 400, 40040,
        "Callback request rejected: _customer_number matches exception pattern 'blocked' of cb_errors"
            + " (option _exceptions)");
    assertNothingStored(server, "+16175550199");
  }

  @Test
  void a_number_written_with_its_country_code_but_no_plus_is_matched_too() {
    assertError(post(server, "Patterns", body("_customer_number", "16175550199")), 400, 40040,
        "Callback request rejected: _customer_number matches exception pattern 'blocked' of cb_errors"
            + " (option _exceptions)");
  }

  @Test
  void non_matching_requests_are_accepted() {
    String id = Http.start(server, "Patterns", body("_customer_number", number(), "note", "dial 911 now"));

    assertThat(Http.get(server, "Patterns", id)).containsEntry("note", "dial 911 now");
    Http.start(server, "Patterns", body("_customer_number", "+16175550198"));
  }

  @Test
  void services_without_exceptions_accept_matching_values() {
    Http.start(server, "NoPatterns", body("_customer_number", "+16175550199", "note", "911-"));
  }
}

package org.opencallback.callback.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.opencallback.callback.http.Http.assertError;
import static org.opencallback.callback.http.Http.assertNothingStored;
import static org.opencallback.callback.http.Http.body;
import static org.opencallback.callback.http.Http.encode;
import static org.opencallback.callback.http.Http.post;
import static org.opencallback.callback.http.Http.properties;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.testing.TestServer;
import org.opencallback.testing.TestServer.Response;

/** Step 8 of docs/admission.md and docs/phone-numbers.md: numbers checked, normalised and looked up. */
class PhoneNumberAdmissionTest {
  private static final String CONFIG = String.join("\n",
      "service.Us:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "service.Lenient:",
      "  _type: ors",
      "  _enable_in_queue_checking: false",
      "  _disallow_impossible_phone_numbers: false",
      "service.NoPlusFix:",
      "  _type: ors",
      "  _fix_plus_on_int_phone_numbers: false",
      "service.NoPlusFixLenient:",
      "  _type: ors",
      "  _fix_plus_on_int_phone_numbers: false",
      "  _disallow_impossible_phone_numbers: false",
      "service.PremiumAllowed:",
      "  _type: ors",
      "  _disallow_premium_phone_numbers: false",
      "service.NoCountry:",
      "  _type: ors",
      "  _default_country: \"\"",
      "service.NoCountryPremiumOnly:",
      "  _type: ors",
      "  _default_country: \"\"",
      "  _disallow_impossible_phone_numbers: false",
      "service.NoCountryNoChecks:",
      "  _type: ors",
      "  _default_country: \"\"",
      "  _disallow_impossible_phone_numbers: false",
      "  _disallow_premium_phone_numbers: false",
      "service.France:",
      "  _type: ors",
      "  _default_country: FR",
      "");

  private static TestServer server;
  /** The callback created as +16175550123, looked up in every written form. */
  private static String normalisedId;

  @BeforeAll
  static void startServer() {
    server = TestServer.start(CONFIG + "\nengine:\n  agents: 0\n");
    normalisedId = Http.start(server, "Us", body("_customer_number", "+16175550123"));
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static String storedNumber(String service, String id) {
    return String.valueOf(Http.get(server, service, id).get("_customer_number"));
  }

  // ---------------------------------------------------------------- premium

  @ParameterizedTest
  @ValueSource(strings = {"+1 900 555 1234", "900-555-1234", "19005551234"})
  void premium_number_is_refused_with_40040_and_the_gms_message(String written) {
    Response response = post(server, "Us", body("_customer_number", written));

    Map<String, Object> error = assertError(response, 400, 40040,
        "Customer Number [+19005551234] is disallowed, because it's a premium number."
            + " Check option _disallow_premium_phone_numbers");
    assertThat(error.get("exception")).isEqualTo(Http.NUMBER_EXCEPTION);
    assertThat(properties(error))
        .containsEntry("number", "+19005551234")
        .containsEntry("option", "_disallow_premium_phone_numbers");
    assertNothingStored(server, "+19005551234");
  }

  @Test
  void premium_number_is_accepted_when_premium_numbers_are_allowed() {
    String id = Http.start(server, "PremiumAllowed", body("_customer_number", "+1 900 555 1299"));

    assertThat(storedNumber("PremiumAllowed", id)).isEqualTo("+19005551299");
  }

  // ---------------------------------------------------------------- impossible

  @Test
  void impossible_number_is_refused_with_40040_when_impossible_numbers_are_disallowed() {
    Response response = post(server, "Us", body("_customer_number", "111"));

    Map<String, Object> error = assertError(response, 400, 40040,
        "Customer Number [111] is disallowed, because it is invalid. Check option _disallow_impossible_phone_numbers");
    assertThat(error.get("exception")).isEqualTo(Http.NUMBER_EXCEPTION);
    assertThat(properties(error))
        .containsEntry("number", "111")
        .containsEntry("option", "_disallow_impossible_phone_numbers");
    assertThat(Http.lookup(server, "Us", "_customer_number=111")).isEmpty();
  }

  @Test
  void impossible_number_is_accepted_and_stored_as_sent_when_allowed() {
    String id = Http.start(server, "Lenient", body("_customer_number", "111"));

    assertThat(storedNumber("Lenient", id)).isEqualTo("111");
    assertThat(Http.lookup(server, "Lenient", "_customer_number=111"))
        .extracting(c -> c.get("_id")).containsExactly(id);
  }

  // ---------------------------------------------------------------- plus fix

  @Test
  void international_number_without_plus_gets_its_plus_with_the_plus_fix() {
    String id = Http.start(server, "Us", body("_customer_number", "4989125016040"));

    assertThat(storedNumber("Us", id)).isEqualTo("+4989125016040");
  }

  @Test
  void international_number_without_plus_is_invalid_without_the_plus_fix() {
    Response response = post(server, "NoPlusFix", body("_customer_number", "4989125016041"));

    assertError(response, 400, 40040,
        "Customer Number [4989125016041] is disallowed, because it is invalid."
            + " Check option _disallow_impossible_phone_numbers");
    assertNothingStored(server, "4989125016041");
    assertNothingStored(server, "+4989125016041");
  }

  @Test
  void international_number_without_plus_is_stored_as_sent_without_the_plus_fix_when_lenient() {
    String id = Http.start(server, "NoPlusFixLenient", body("_customer_number", "4989125016042"));

    assertThat(storedNumber("NoPlusFixLenient", id)).isEqualTo("4989125016042");
  }

  // ---------------------------------------------------------------- no country

  @Test
  void empty_default_country_with_the_impossible_check_on_is_refused_naming_the_service() {
    Response response = post(server, "NoCountry", body("_customer_number", "+16175550177"));

    Map<String, Object> error = assertError(response, 400, 40040,
        "Service option NoCountry / _default_country is not configured. But option"
            + " _disallow_impossible_phone_numbers is set. We cannot validate phone numbers without knowing"
            + " the country.");
    assertThat(error.get("exception")).isEqualTo(Http.NUMBER_EXCEPTION);
    assertThat(properties(error))
        .containsEntry("service", "NoCountry")
        .containsEntry("option", "_disallow_impossible_phone_numbers");
    assertNothingStored(server, "+16175550177");
  }

  @Test
  void empty_default_country_with_only_the_premium_check_on_names_the_premium_option() {
    Response response = post(server, "NoCountryPremiumOnly", body("_customer_number", "+16175550178"));

    assertError(response, 400, 40040,
        "Service option NoCountryPremiumOnly / _default_country is not configured. But option"
            + " _disallow_premium_phone_numbers is set. We cannot validate phone numbers without knowing"
            + " the country.");
  }

  @Test
  void empty_default_country_without_checks_accepts_a_number_with_plus() {
    String id = Http.start(server, "NoCountryNoChecks", body("_customer_number", "+1 617 555 0179"));

    assertThat(storedNumber("NoCountryNoChecks", id)).isEqualTo("+16175550179");
  }

  // ---------------------------------------------------------------- normalisation and lookups

  @ParameterizedTest
  @ValueSource(strings = {"(617) 555-0123", "617-555-0123", "+1 617 555 0123", "16175550123", "+16175550123",
      "617.555.0123", "6175550123"})
  void lookup_finds_the_callback_however_the_number_is_written(String written) {
    List<Map<String, Object>> found = Http.lookup(server, "Us", "_customer_number=" + encode(written));

    assertThat(found).hasSize(1);
    assertThat(found.get(0)).containsEntry("_id", normalisedId).containsEntry("_customer_number", "+16175550123");
    assertThat(Http.lookupAll(server, written)).extracting(c -> c.get("_id")).containsExactly(normalisedId);
  }


  @ParameterizedTest
  @ValueSource(strings = {"(617) 555-0124", "617-555-0124", "+1 617 555 0124", "16175550124",
      "011 1 617 555 0124", "tel:+1-617-555-0124"})
  void every_written_form_is_stored_in_e164(String written) {
    String id = Http.start(server, "Us", body("_customer_number", written));

    assertThat(storedNumber("Us", id)).isEqualTo("+16175550124");
    assertThat(Http.lookup(server, "Us", "_customer_number=%2B16175550124")).extracting(c -> c.get("_id")).contains(id);
  }

  @Test
  void french_service_reads_national_numbers_as_french() {
    String id = Http.start(server, "France", body("_customer_number", "06 04 12 04 05"));

    assertThat(storedNumber("France", id)).isEqualTo("+33604120405");
    assertThat(Http.lookup(server, "France", "_customer_number=0604120405"))
        .extracting(c -> c.get("_id")).containsExactly(id);
  }

  // ---------------------------------------------------------------- phone-number service

  @Test
  void phone_number_service_describes_a_french_mobile() {
    Response response = server.get("/genesys/1/phonenumber?number=" + encode("+33612345678") + "&country=FR");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.map())
        .containsEntry("number-E164", "+33612345678")
        .containsEntry("number-international", "+33 6 12 34 56 78")
        .containsEntry("number-national", "06 12 34 56 78")
        .containsEntry("number-national-short", "612345678")
        .containsEntry("number-specified", "+33612345678")
        .containsEntry("country-code", 33)
        .containsEntry("country-code-source", "FROM_NUMBER_WITH_PLUS_SIGN")
        .containsEntry("country-default", "FR")
        .containsEntry("region-code", "FR")
        .containsEntry("number-type", "MOBILE")
        .containsEntry("is-valid-number", true)
        .containsEntry("is-valid-number-for-region", true)
        .containsEntry("is-possible-number", true)
        .containsEntry("is-premium", false)
        .containsEntry("extension", "")
        .containsEntry("language-specified", "en")
        .containsEntry("time-zone", "Europe/Paris")
        .containsKeys("carrier", "location", "italian-leading-zero", "number-original");
  }

  @Test
  void phone_number_service_refuses_an_unparseable_number_with_a_gms_body() {
    Response response = server.get("/genesys/1/phonenumber?number=bad&country=DE");

    Map<String, Object> error = assertError(response, 400, 40010,
        "Invalid Phone Number bad for Country DE (parsing impossible)");
    assertThat(error.get("exception")).isEqualTo("com.genesyslab.gsg.GSGException");
  }

  @Test
  void phone_number_service_describes_a_short_number_with_false_flags() {
    Response response = server.get("/genesys/1/phonenumber?number=111&country=US");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.map())
        .containsEntry("is-valid-number", false)
        .containsEntry("is-possible-number", false);
  }

  // ---------------------------------------------------------------- length

  @Test
  void a_number_longer_than_64_characters_is_refused_with_400_and_nothing_is_stored() {
    String number = "1".repeat(65);

    Response response = post(server, "Lenient", body("_customer_number", number));

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.message()).isEqualTo("_customer_number is longer than 64 characters");
    assertThat(Http.lookup(server, "Lenient", "_customer_number=" + number)).isEmpty();
  }

}

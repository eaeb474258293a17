package org.opencallback.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

class PhoneNumbersDescribeTest {
  private static final PhoneNumbers PHONES = new PhoneNumbers();
  private static final List<String> FIELDS =
      List.of(
          "carrier",
          "country-code",
          "country-code-source",
          "country-default",
          "extension",
          "is-possible-number",
          "is-premium",
          "is-valid-number",
          "is-valid-number-for-region",
          "italian-leading-zero",
          "language-specified",
          "location",
          "number-E164",
          "number-international",
          "number-national",
          "number-national-short",
          "number-original",
          "number-specified",
          "number-type",
          "region-code",
          "time-zone");

  @Test
  void us_fixed_line_written_internationally() {
    Map<String, Object> body = PHONES.describe("+16504661100", "US", "FR");

    assertThat(body.keySet()).containsExactlyElementsOf(FIELDS);
    assertThat(body)
        .containsEntry("carrier", "")
        .containsEntry("country-code", 1)
        .containsEntry("country-code-source", "FROM_NUMBER_WITH_PLUS_SIGN")
        .containsEntry("country-default", "US")
        .containsEntry("extension", "")
        .containsEntry("is-possible-number", true)
        .containsEntry("is-premium", false)
        .containsEntry("is-valid-number", true)
        .containsEntry("is-valid-number-for-region", true)
        .containsEntry("italian-leading-zero", false)
        .containsEntry("language-specified", "fr")
        .containsEntry("location", "California")
        .containsEntry("number-E164", "+16504661100")
        .containsEntry("number-international", "+1 650-466-1100")
        .containsEntry("number-national", "(650) 466-1100")
        .containsEntry("number-national-short", "6504661100")
        .containsEntry("number-original", "+1 650-466-1100")
        .containsEntry("number-specified", "+16504661100")
        .containsEntry("number-type", "FIXED_LINE_OR_MOBILE")
        .containsEntry("region-code", "US")
        .containsEntry("time-zone", "America/Los_Angeles");
  }

  @Test
  void french_mobile_written_nationally_with_german_names() {
    Map<String, Object> body = PHONES.describe("0604120405", "FR", "DE");

    assertThat(body.keySet()).containsExactlyElementsOf(FIELDS);
    assertThat(body)
        .containsEntry("country-code", 33)
        .containsEntry("country-code-source", "FROM_DEFAULT_COUNTRY")
        .containsEntry("country-default", "FR")
        .containsEntry("extension", "")
        .containsEntry("is-possible-number", true)
        .containsEntry("is-premium", false)
        .containsEntry("is-valid-number", true)
        .containsEntry("is-valid-number-for-region", true)
        .containsEntry("italian-leading-zero", false)
        .containsEntry("language-specified", "de")
        .containsEntry("location", "Frankreich")
        .containsEntry("number-E164", "+33604120405")
        .containsEntry("number-international", "+33 6 04 12 04 05")
        .containsEntry("number-national", "06 04 12 04 05")
        .containsEntry("number-national-short", "604120405")
        .containsEntry("number-original", "06 04 12 04 05")
        .containsEntry("number-specified", "0604120405")
        .containsEntry("number-type", "MOBILE")
        .containsEntry("region-code", "FR")
        .containsEntry("time-zone", "Europe/Paris");
    // The carrier table names the operator the range was first given to; it changes with the data.
    assertThat((String) body.get("carrier")).isNotBlank();
  }

  @Test
  void german_fixed_line_with_french_names() {
    Map<String, Object> body = PHONES.describe("+4989125016040", "DE", "FR");

    assertThat(body)
        .containsEntry("country-code", 49)
        .containsEntry("country-code-source", "FROM_NUMBER_WITH_PLUS_SIGN")
        .containsEntry("country-default", "DE")
        .containsEntry("language-specified", "fr")
        .containsEntry("location", "Munich")
        .containsEntry("number-E164", "+4989125016040")
        .containsEntry("number-international", "+49 89 125016040")
        .containsEntry("number-national", "089 125016040")
        .containsEntry("number-national-short", "89125016040")
        .containsEntry("number-original", "+49 89 125016040")
        .containsEntry("number-type", "FIXED_LINE")
        .containsEntry("region-code", "DE")
        .containsEntry("time-zone", "Europe/Berlin")
        .containsEntry("is-valid-number-for-region", true);
  }

  @Test
  void country_and_language_default_to_us_and_english() {
    Map<String, Object> body = PHONES.describe("(617) 555-0123", null, "");

    assertThat(body)
        .containsEntry("country-default", "US")
        .containsEntry("language-specified", "en")
        .containsEntry("location", "Massachusetts")
        .containsEntry("number-E164", "+16175550123")
        .containsEntry("number-original", "(617) 555-0123")
        .containsEntry("number-specified", "(617) 555-0123");
  }

  @Test
  void mobile_location_is_the_country_name() {
    Map<String, Object> body = PHONES.describe("509113790", "UA", null);

    assertThat(body)
        .containsEntry("country-code", 380)
        .containsEntry("location", "Ukraine")
        .containsEntry("number-original", "50 911 3790")
        .containsEntry("number-type", "MOBILE");
  }

  @Test
  void premium_numbers_are_flagged() {
    assertThat(PHONES.describe("1-900-555-1234", "us", "en"))
        .containsEntry("is-premium", true)
        .containsEntry("number-type", "PREMIUM_RATE")
        .containsEntry("country-default", "US");
    assertThat(PHONES.describe("0900 1234567", "DE", "de")).containsEntry("is-premium", true);
  }

  @Test
  void number_of_another_region_is_not_valid_for_the_requested_one() {
    assertThat(PHONES.describe("+33604120405", "DE", "en"))
        .containsEntry("is-valid-number", true)
        .containsEntry("is-valid-number-for-region", false)
        .containsEntry("region-code", "FR")
        .containsEntry("country-default", "DE");
  }

  @Test
  void italian_fixed_line_keeps_its_leading_zero() {
    assertThat(PHONES.describe("06 1234 5678", "IT", "it"))
        .containsEntry("italian-leading-zero", true)
        .containsEntry("number-national-short", "0612345678")
        .containsEntry("number-E164", "+390612345678");
  }

  @Test
  void extension_is_reported() {
    assertThat(PHONES.describe("617-555-0123 ext. 45", "US", "en"))
        .containsEntry("extension", "45")
        .containsEntry("number-E164", "+16175550123");
  }

  @Test
  void parsed_but_impossible_number_is_described_not_refused() {
    assertThat(PHONES.describe("111", "US", "en"))
        .containsEntry("is-possible-number", false)
        .containsEntry("is-valid-number", false)
        .containsEntry("number-type", "UNKNOWN")
        .containsEntry("region-code", "")
        .containsEntry("location", "")
        .containsEntry("time-zone", "Etc/Unknown");
  }

  @Test
  void unparseable_number_is_refused_with_the_gms_message() {
    CallbackException refusal =
        catchThrowableOfType(CallbackException.class, () -> PHONES.describe("bad", "DE", "de"));

    assertThat(refusal.getMessage())
        .isEqualTo("Invalid Phone Number bad for Country DE (parsing impossible)");
    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
    assertThat(refusal.fault()).isEqualTo(CallbackException.Fault.INVALID_REQUEST);
    assertThat(refusal.properties()).containsEntry("number", "bad").containsEntry("country", "DE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"12345678901234567890", "abc", "6175550123"})
  void unparseable_inputs_name_the_country_used(String number) {
    String country = number.equals("6175550123") ? "XX" : "US";
    CallbackException refusal =
        catchThrowableOfType(CallbackException.class, () -> PHONES.describe(number, country, null));

    assertThat(refusal.getMessage())
        .isEqualTo(
            "Invalid Phone Number " + number + " for Country " + country + " (parsing impossible)");
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"", "  "})
  void missing_number_is_a_bad_request(String missing) {
    CallbackException refusal =
        catchThrowableOfType(CallbackException.class, () -> PHONES.describe(missing, "US", "en"));

    assertThat(refusal.code()).isEqualTo(ErrorCode.INVALID_PARAMETER);
    assertThat(refusal.fault()).isEqualTo(CallbackException.Fault.INVALID_REQUEST);
    assertThat(refusal.getMessage()).isEqualTo("Invalid Phone Number: parameter number is missing");
  }

  @Test
  void the_body_cannot_be_changed() {
    Map<String, Object> body = PHONES.describe("+16504661100", "US", "en");

    assertThat(body).isUnmodifiable();
  }

  @Test
  void locale_accepts_gms_style_codes() {
    assertThat(NumberDescriber.locale("DE").getLanguage()).isEqualTo("de");
    assertThat(NumberDescriber.locale("fr_FR").getLanguage()).isEqualTo("fr");
    assertThat(NumberDescriber.locale("pt-BR").getLanguage()).isEqualTo("pt");
    assertThat(NumberDescriber.locale(null).getLanguage()).isEqualTo("en");
    assertThat(NumberDescriber.locale("!!").getLanguage()).isEqualTo("en");
  }
}

package org.opencallback.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

class PhoneNumbersAdmitTest {
  private static final PhoneNumbers PHONES = new PhoneNumbers();
  private static final String SERVICE = "callbackPhoneNumberValidationService";

  private static PhonePolicy policy(String country, boolean impossible, boolean premium) {
    return new PhonePolicy(country, impossible, premium, true);
  }

  private static CallbackException refusal(String number, PhonePolicy policy) {
    return catchThrowableOfType(
        CallbackException.class, () -> PHONES.admit(number, policy, SERVICE));
  }

  private static void assertNumberRefusal(CallbackException refusal) {
    assertThat(refusal).isNotNull();
    assertThat(refusal.code()).isEqualTo(ErrorCode.REQUEST_REJECTED);
    assertThat(refusal.code().code()).isEqualTo(40040);
    assertThat(refusal.fault()).isEqualTo(CallbackException.Fault.NUMBER_REFUSED);
  }

  @Test
  void us_premium_number_is_refused_with_the_gms_message() {
    CallbackException refusal = refusal("+19005551234", policy("US", false, true));

    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage())
        .isEqualTo(
            "Customer Number [+19005551234] is disallowed, because it's a premium number."
                + " Check option _disallow_premium_phone_numbers");
    assertThat(refusal.properties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("number", "+19005551234", "option", "_disallow_premium_phone_numbers"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"19005551234", "1 (900) 555-1234", "900-555-1234", "+1 900 555 1234"})
  void premium_refusal_names_the_number_in_its_stored_form(String written) {
    CallbackException refusal = refusal(written, policy("US", true, true));

    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage()).startsWith("Customer Number [+19005551234] is disallowed");
  }

  @ParameterizedTest
  @ValueSource(strings = {"+33 8 92 12 34 56", "0892123456", "0033892123456"})
  void french_premium_number_is_refused_in_a_french_service(String written) {
    CallbackException refusal = refusal(written, policy("FR", true, true));

    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage())
        .isEqualTo(
            "Customer Number [+33892123456] is disallowed, because it's a premium number."
                + " Check option _disallow_premium_phone_numbers");
  }

  @Test
  void foreign_premium_numbers_are_refused_whatever_the_default_country() {
    assertNumberRefusal(refusal("+44 909 876 5432", policy("US", false, true)));
    assertNumberRefusal(refusal("+49 900 1234567", policy("US", false, true)));
  }

  @Test
  void premium_number_is_accepted_when_premium_numbers_are_allowed() {
    assertThat(PHONES.admit("+19005551234", policy("US", true, false), SERVICE))
        .isEqualTo("+19005551234");
    assertThat(PHONES.admit("19005551234", policy("US", false, false), SERVICE))
        .isEqualTo("+19005551234");
  }

  @Test
  void short_number_is_refused_as_invalid_with_the_gms_message() {
    CallbackException refusal = refusal("111", policy("US", true, false));

    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage())
        .isEqualTo(
            "Customer Number [111] is disallowed, because it is invalid."
                + " Check option _disallow_impossible_phone_numbers");
    assertThat(refusal.properties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("number", "111", "option", "_disallow_impossible_phone_numbers"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "111",
        "5115",
        "555-0123", // only dialable locally
        "abc",
        "call me",
        "12345678901234567890", // too long
        "+1 617 555 01234567",
        "+999 1234567", // no such country code
        "+",
        "",
        "   "
      })
  void impossible_numbers_are_refused_when_disallowed(String written) {
    CallbackException refusal = refusal(written, policy("US", true, true));

    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage())
        .isEqualTo(
            "Customer Number ["
                + written.strip()
                + "] is disallowed, because it is invalid."
                + " Check option _disallow_impossible_phone_numbers");
  }

  @ParameterizedTest
  @ValueSource(strings = {"111", "5115", "abc", "12345678901234567890"})
  void impossible_numbers_are_kept_as_given_when_allowed(String written) {
    assertThat(PHONES.admit(written, policy("US", false, true), SERVICE)).isEqualTo(written);
    assertThat(PHONES.admit(" " + written + " ", policy("US", false, false), SERVICE))
        .isEqualTo(written);
  }

  @Test
  void possible_but_unassigned_number_is_not_impossible() {
    assertThat(PHONES.admit("(123) 456-7890", policy("US", true, true), SERVICE))
        .isEqualTo("+11234567890");
  }

  @Test
  void missing_default_country_with_premium_check_names_the_service_and_the_option() {
    CallbackException refusal = refusal("+19005551234", policy("", false, true));

    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage())
        .isEqualTo(
            "Service option callbackPhoneNumberValidationService / _default_country is not"
                + " configured. But option _disallow_premium_phone_numbers is set. We cannot"
                + " validate phone numbers without knowing the country.");
    assertThat(refusal.properties())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("service", SERVICE, "option", "_disallow_premium_phone_numbers"));
  }

  @Test
  void missing_default_country_with_impossible_check_names_that_option() {
    CallbackException refusal = refusal("111", policy(null, true, false));

    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage())
        .isEqualTo(
            "Service option callbackPhoneNumberValidationService / _default_country is not"
                + " configured. But option _disallow_impossible_phone_numbers is set. We cannot"
                + " validate phone numbers without knowing the country.");
  }

  @Test
  void missing_default_country_with_both_checks_names_the_impossible_option() {
    CallbackException refusal = refusal("+16175550123", policy("  ", true, true));

    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage()).contains("But option _disallow_impossible_phone_numbers is");
    assertThat(refusal.properties()).containsEntry("option", "_disallow_impossible_phone_numbers");
  }

  @Test
  void missing_default_country_is_fine_when_no_check_is_on() {
    PhonePolicy noCountry = new PhonePolicy(null, false, false, true);

    assertThat(PHONES.admit("+1 617 555 0123", noCountry, SERVICE)).isEqualTo("+16175550123");
    assertThat(PHONES.admit("16175550123", noCountry, SERVICE)).isEqualTo("+16175550123");
    assertThat(PHONES.admit("(617) 555-0123", noCountry, SERVICE)).isEqualTo("(617) 555-0123");
    assertThat(PHONES.admit("5115", noCountry, SERVICE)).isEqualTo("5115");
  }

  @Test
  void fix_plus_reads_an_international_number_written_without_its_plus() {
    PhonePolicy on = new PhonePolicy(null, false, false, true);
    PhonePolicy off = new PhonePolicy(null, false, false, false);

    assertThat(PHONES.admit("16175550123", on, SERVICE)).isEqualTo("+16175550123");
    assertThat(PHONES.admit("16175550123", off, SERVICE)).isEqualTo("16175550123");
    assertThat(PHONES.admit("4989125016040", on, SERVICE)).isEqualTo("+4989125016040");
  }

  @Test
  void fix_plus_applies_to_a_number_that_is_not_national_in_the_default_country() {
    PhonePolicy on = new PhonePolicy("FR", true, true, true);
    PhonePolicy off = new PhonePolicy("FR", true, true, false);

    assertThat(PHONES.admit("16175550123", on, SERVICE)).isEqualTo("+16175550123");
    CallbackException refusal = refusal("16175550123", off);
    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage()).startsWith("Customer Number [16175550123] is disallowed,");
  }

  @Test
  void fix_plus_puts_the_plus_on_the_premium_number_it_refuses() {
    CallbackException refusal = refusal("19005551234", new PhonePolicy("FR", false, true, true));

    assertNumberRefusal(refusal);
    assertThat(refusal.getMessage()).startsWith("Customer Number [+19005551234] is disallowed");
  }

  @Test
  void national_reading_wins_over_fix_plus() {
    // 6175550123 is a valid Boston number; "+6175550123" would be an Australian reading.
    assertThat(PHONES.admit("6175550123", policy("US", true, true), SERVICE))
        .isEqualTo("+16175550123");
  }

  @Test
  void international_dialling_prefix_of_the_default_country_is_understood() {
    assertThat(PHONES.admit("00 1 617 555 0123", policy("FR", true, true), SERVICE))
        .isEqualTo("+16175550123");
    assertThat(PHONES.admit("011 33 6 04 12 04 05", policy("US", true, true), SERVICE))
        .isEqualTo("+33604120405");
  }

  @Test
  void extension_is_kept_in_the_stored_form() {
    String stored = PHONES.admit("617-555-0123 ext. 45", policy("US", true, true), SERVICE);

    assertThat(stored).isEqualTo("+16175550123;ext=45");
    assertThat(PHONES.admit(stored, policy("US", true, true), SERVICE)).isEqualTo(stored);
    assertThat(PHONES.lookupForm("+1 617 555 0123 x45", policy("US", false, false)))
        .isEqualTo(stored);
  }

  @Test
  void vanity_letters_are_read_as_digits() {
    assertThat(PHONES.admit("1-800-FLOWERS", policy("US", true, true), SERVICE))
        .isEqualTo("+18003569377");
  }

  @Test
  void admitting_a_stored_form_again_gives_it_back() {
    PhonePolicy us = policy("US", false, false);
    for (String written : new String[] {"(617) 555-0123", "5115", " 111 ", "+33 6 04 12 04 05"}) {
      String stored = PHONES.admit(written, us, SERVICE);
      assertThat(PHONES.admit(stored, us, SERVICE)).isEqualTo(stored);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"+9710000001", "+971 0 0000 01", "+97100001"})
  void a_number_whose_e164_reads_differently_is_stored_in_its_settled_form(String written) {
    // +971 0000001 formats as +9710000001, which reads back as +97100001 (0 = national prefix).
    String stored = PHONES.admit(written, policy("US", true, true), SERVICE);

    assertThat(stored).isEqualTo("+97100001");
    assertThat(PHONES.admit(stored, policy("US", true, true), SERVICE)).isEqualTo(stored);
  }

  @Test
  void a_national_prefix_written_after_the_country_code_is_dropped() {
    assertThat(PHONES.admit("+972 0 3 773 30898", policy("AU", true, true), SERVICE))
        .isEqualTo("+972377330898");
    assertThat(PHONES.admit("+41 (0) 78 927 2696", policy("CH", true, true), SERVICE))
        .isEqualTo("+41789272696");
  }

  @Test
  void null_arguments_are_programming_errors() {
    assertThatThrownBy(() -> PHONES.admit(null, policy("US", true, true), SERVICE))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> PHONES.lookupForm("111", null))
        .isInstanceOf(NullPointerException.class);
  }
}

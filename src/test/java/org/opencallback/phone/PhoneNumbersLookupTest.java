package org.opencallback.phone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersLookupTest {
  private static final PhoneNumbers PHONES = new PhoneNumbers();
  private static final PhonePolicy US = new PhonePolicy("US", true, true, true);
  private static final PhonePolicy US_LENIENT = new PhonePolicy("us", false, false, false);

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(617) 555-0123",
        "617-555-0123",
        "617.555.0123",
        "6175550123",
        "+1 617 555 0123",
        "+1 (617) 555-0123",
        "+16175550123",
        "16175550123",
        "1-617-555-0123",
        "011 1 617 555 0123",
        " tel:+1-617-555-0123 "
      })
  void every_way_of_writing_a_us_number_looks_up_what_admit_stored(String written) {
    String stored = PHONES.admit("(617) 555-0123", US, "svc");

    assertThat(PHONES.lookupForm(written, US)).isEqualTo(stored).isEqualTo("+16175550123");
    assertThat(PHONES.lookupForm(written, US_LENIENT)).isEqualTo(stored);
    assertThat(PHONES.admit(written, US, "svc")).isEqualTo(stored);
  }

  @ParameterizedTest
  @ValueSource(strings = {"06 04 12 04 05", "0604120405", "+33 6 04 12 04 05", "0033604120405"})
  void every_way_of_writing_a_french_mobile_looks_up_the_same(String written) {
    PhonePolicy france = new PhonePolicy("FR", true, true, true);

    assertThat(PHONES.lookupForm(written, france)).isEqualTo("+33604120405");
  }

  @Test
  void lookup_never_refuses() {
    assertThat(PHONES.lookupForm("+19005551234", US)).isEqualTo("+19005551234");
    assertThat(PHONES.lookupForm("111", US)).isEqualTo("111");
    assertThat(PHONES.lookupForm("111", new PhonePolicy(null, true, true, true))).isEqualTo("111");
  }

  @Test
  void numbers_without_a_reading_are_looked_up_as_given() {
    assertThat(PHONES.lookupForm(" 5115 ", US)).isEqualTo("5115");
    assertThat(PHONES.lookupForm("CB-42", US)).isEqualTo("CB-42");
  }

  @Test
  void a_number_of_a_possible_length_is_read_in_the_default_country_even_if_unassigned() {
    assertThat(PHONES.lookupForm("06 04 12 04 05", US)).isEqualTo("+10604120405");
    assertThat(PHONES.lookupForm("0604120405", US_LENIENT)).isEqualTo("+10604120405");
  }

  @Test
  void unknown_default_country_reads_only_international_numbers() {
    PhonePolicy unknown = new PhonePolicy("XX", false, false, true);

    assertThat(PHONES.lookupForm("6175550123", unknown)).isEqualTo("6175550123");
    assertThat(PHONES.lookupForm("16175550123", unknown)).isEqualTo("+16175550123");
    assertThat(PHONES.lookupForm("+1 617 555 0123", unknown)).isEqualTo("+16175550123");
  }
}

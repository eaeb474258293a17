package org.opencallback.phone;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.opencallback.domain.CallbackException;

class PhoneNumbersProperties {
  private static final PhoneNumbers PHONES = new PhoneNumbers();
  private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();
  private static final List<String> REGIONS =
      List.of(
          "US", "CA", "GB", "IE", "FR", "DE", "AT", "CH", "IT", "ES", "NL", "BE", "SE", "PL", "UA",
          "AU", "JP", "IN", "BR");

  /** A valid number and the region it belongs to. */
  record Sample(String region, String e164) {
    PhoneNumber number() {
      try {
        return UTIL.parse(e164, region);
      } catch (NumberParseException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  @Property(tries = 300)
  void lookup_form_is_idempotent(
      @ForAll("scribbles") String written, @ForAll("policies") PhonePolicy policy) {
    String once = PHONES.lookupForm(written, policy);

    assertThat(PHONES.lookupForm(once, policy)).isEqualTo(once);
  }

  @Property(tries = 300)
  void admit_is_idempotent_and_names_the_lookup_form_when_it_refuses(
      @ForAll("scribbles") String written, @ForAll("policies") PhonePolicy policy) {
    String stored;
    try {
      stored = PHONES.admit(written, policy, "svc");
    } catch (CallbackException refusal) {
      if (refusal.properties().containsKey("number")) {
        assertThat(refusal.properties().get("number"))
            .isEqualTo(PHONES.lookupForm(written, policy));
      }
      return;
    }
    assertThat(stored).isEqualTo(PHONES.lookupForm(written, policy));
    assertThat(PHONES.admit(stored, policy, "svc")).isEqualTo(stored);
  }

  @Property(tries = 300)
  void every_way_of_writing_a_valid_number_looks_up_its_e164(
      @ForAll("validNumbers") Sample sample, @ForAll boolean fixPlus, @ForAll boolean checks) {
    PhonePolicy policy = new PhonePolicy(sample.region(), checks, false, fixPlus);

    for (String written : variants(sample.number())) {
      assertThat(PHONES.lookupForm(written, policy)).as(written).isEqualTo(sample.e164());
      assertThat(PHONES.admit(written, policy, "svc")).as(written).isEqualTo(sample.e164());
    }
  }

  @Property(tries = 300)
  void fix_plus_reads_a_valid_international_number_written_without_plus(
      @ForAll("validNumbers") Sample sample) {
    PhonePolicy noCountry = new PhonePolicy(null, false, false, true);
    String digits = sample.e164().substring(1);

    assertThat(PHONES.lookupForm(digits, noCountry)).isEqualTo(sample.e164());
    assertThat(PHONES.lookupForm(" " + digits + " ", noCountry)).isEqualTo(sample.e164());
  }

  private static List<String> variants(PhoneNumber number) {
    String international = UTIL.format(number, PhoneNumberFormat.INTERNATIONAL);
    String national = UTIL.format(number, PhoneNumberFormat.NATIONAL);
    List<String> variants = new ArrayList<>();
    variants.add(UTIL.format(number, PhoneNumberFormat.E164));
    variants.add(UTIL.format(number, PhoneNumberFormat.RFC3966));
    variants.add(international);
    variants.add(international.replace(' ', '-'));
    variants.add(international.replace(" ", ""));
    variants.add("+" + number.getCountryCode() + " (" + national.replaceAll("\\D", "") + ")");
    variants.add(national);
    variants.add(national.replace(' ', '-'));
    variants.add(national.replaceAll("\\D", ""));
    variants.add("  " + national.replace(' ', '.') + "\t");
    variants.add(parenthesiseFirstGroup(national));
    return variants;
  }

  private static String parenthesiseFirstGroup(String national) {
    if (national.contains("(")) {
      return national;
    }
    int space = national.indexOf(' ');
    return space < 0
        ? national
        : "(" + national.substring(0, space) + ")" + national.substring(space);
  }

  @Provide
  Arbitrary<Sample> validNumbers() {
    Arbitrary<String> regions = Arbitraries.of(REGIONS);
    Arbitrary<PhoneNumberType> types =
        Arbitraries.of(
            PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE, PhoneNumberType.TOLL_FREE);
    Arbitrary<String> tails = Arbitraries.strings().numeric().ofLength(4);
    return Combinators.combine(regions, types, tails)
        .as(PhoneNumbersProperties::sample)
        .filter(sample -> sample != null);
  }

  /** The region's example number of that type with its last digits replaced, if still valid. */
  private static Sample sample(String region, PhoneNumberType type, String tail) {
    PhoneNumber example = UTIL.getExampleNumberForType(region, type);
    if (example == null) {
      return null;
    }
    String nsn = UTIL.getNationalSignificantNumber(example);
    String varied = nsn.substring(0, nsn.length() - tail.length()) + tail;
    for (String candidate : List.of(varied, nsn)) {
      try {
        PhoneNumber number = UTIL.parse("+" + example.getCountryCode() + candidate, "ZZ");
        if (UTIL.isValidNumberForRegion(number, region)) {
          return new Sample(region, UTIL.format(number, PhoneNumberFormat.E164));
        }
      } catch (NumberParseException e) {
        // try the example itself
      }
    }
    return null;
  }

  @Provide
  Arbitrary<PhonePolicy> policies() {
    Arbitrary<String> countries =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.of(REGIONS)), Tuple.of(2, Arbitraries.just("")));
    Arbitrary<Boolean> flags = Arbitraries.of(true, false);
    return Combinators.combine(countries, flags, flags, flags).as(PhonePolicy::new);
  }

  @Provide
  Arbitrary<String> scribbles() {
    Arbitrary<String> noise =
        Arbitraries.strings()
            .withChars("0123456789 +-().x;ext=abcT")
            .ofMinLength(0)
            .ofMaxLength(22);
    Arbitrary<String> formatted =
        validNumbers()
            .map(sample -> variants(sample.number()))
            .flatMap(variants -> Arbitraries.of(variants));
    Arbitrary<String> digits = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(17);
    return Arbitraries.oneOf(noise, formatted, digits, digits.map(d -> "+" + d));
  }
}

package org.opencallback.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.ValidationResult;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber.CountryCodeSource;
import java.util.Optional;

/**
 * Turns a customer number as a client wrote it into its stored form. The rule, in order:
 *
 * <ol>
 *   <li>written with a leading {@code +}: that number if it is <em>usable</em>;
 *   <li>read in the default country, if the input carries an international dialling prefix of that
 *       country ({@code 00}, {@code 011}…) or its country code and the reading is usable, or if the
 *       reading is <em>valid</em>;
 *   <li>with {@code fixPlusOnInternational}, {@code "+" + input}, if that reading is
 *       <em>valid</em>;
 *   <li>read in the default country, if that reading is merely <em>possible</em>;
 *   <li>otherwise there is no reading: the trimmed input is kept as given.
 * </ol>
 *
 * <p>Usable = valid, or of a possible length for its country ({@code IS_POSSIBLE}; a length only
 * dialable locally, such as a 7-digit US number, is not usable). A number read is stored as E.164
 * plus {@code ;ext=<digits>} when an extension was written, after being settled: read again from
 * its E.164 form until that form reads back to itself (see {@link #settle}). So a stored form
 * reads, through step 1, to itself: the rule is idempotent.
 *
 * <p>Thread-safe: immutable, and {@link PhoneNumberUtil} is thread-safe.
 */
final class NumberReader {
  private static final int MAX_ROUNDS = 4;

  private final PhoneNumberUtil util;

  NumberReader(PhoneNumberUtil util) {
    this.util = util;
  }

  Reading read(String rawNumber, PhonePolicy policy) {
    String input = rawNumber.strip();
    if (input.startsWith("+")) {
      return parse(input, policy.region())
          .filter(this::usable)
          .flatMap(this::settle)
          .orElse(raw(input));
    }
    Optional<PhoneNumber> national =
        policy.hasDefaultCountry() ? parse(input, policy.region()) : Optional.empty();
    Optional<Reading> reading =
        national
            .filter(number -> util.isValidNumber(number) || writtenInternationally(number))
            .filter(this::usable)
            .flatMap(this::settle);
    if (reading.isEmpty() && policy.fixPlusOnInternational()) {
      reading =
          parse("+" + input, PhonePolicy.NO_REGION)
              .filter(util::isValidNumber)
              .flatMap(this::settle);
    }
    if (reading.isEmpty()) {
      reading = national.filter(this::usable).flatMap(this::settle);
    }
    return reading.orElse(raw(input));
  }

  /** With an international dialling prefix ({@code 00}, {@code 011}…) or the country code. */
  private boolean writtenInternationally(PhoneNumber number) {
    return number.getCountryCodeSource() != CountryCodeSource.FROM_DEFAULT_COUNTRY;
  }

  private Optional<PhoneNumber> parse(String input, String region) {
    try {
      return Optional.of(util.parseAndKeepRawInput(input, region));
    } catch (NumberParseException e) {
      return Optional.empty();
    }
  }

  private boolean usable(PhoneNumber number) {
    return util.isValidNumber(number)
        || util.isPossibleNumberWithReason(number) == ValidationResult.IS_POSSIBLE;
  }

  /**
   * The reading of a number whose E.164 form reads back to itself. Some numbers do not: {@code +971
   * 0000001} formats as {@code +9710000001}, which libphonenumber reads as {@code +97100001} (the 0
   * taken for a national prefix). Such a number is read again from its E.164 form until it is
   * stable (each round drops digits, so this ends quickly); one that stops being usable on the way
   * has no reading.
   */
  private Optional<Reading> settle(PhoneNumber number) {
    PhoneNumber current = number;
    for (int round = 0; round < MAX_ROUNDS; round++) {
      String e164 = util.format(current, PhoneNumberFormat.E164);
      Optional<PhoneNumber> again = parse(e164, PhonePolicy.NO_REGION).filter(this::usable);
      if (again.isEmpty()) {
        return Optional.empty();
      }
      if (util.format(again.get(), PhoneNumberFormat.E164).equals(e164)) {
        String stored = number.hasExtension() ? e164 + ";ext=" + number.getExtension() : e164;
        return Optional.of(new Reading(stored, again.get()));
      }
      current = again.get();
    }
    return Optional.empty();
  }

  private static Reading raw(String input) {
    return new Reading(input, null);
  }
}

package org.opencallback.phone;

import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;
import java.util.Map;
import java.util.Objects;
import org.opencallback.domain.CallbackException;

/**
 * Customer-number policy and normalisation, and the phone-number service, over libphonenumber.
 *
 * <p><b>Stored form.</b> A number with a usable reading is stored in E.164 ({@code +16175550123},
 * with {@code ;ext=45} when an extension was written); a number without one is stored as written,
 * trimmed ({@code 5115}, {@code 111}). {@link #admit} and {@link #lookupForm} apply the same rule,
 * so a lookup finds a callback however the client wrote the number, and the rule is idempotent. The
 * rule itself is documented on {@code NumberReader} and in {@code docs/phone-numbers.md}.
 *
 * <p><b>Refusals</b> ({@code CallbackExceptionNumber}, code 40040, HTTP 400), in this order:
 *
 * <ol>
 *   <li>a disallow option is on and {@code _default_country} is not set: the message names {@code
 *       _disallow_impossible_phone_numbers} when it is on, else {@code
 *       _disallow_premium_phone_numbers};
 *   <li>{@code _disallow_impossible_phone_numbers} and the number has no usable reading;
 *   <li>{@code _disallow_premium_phone_numbers} and the number is premium-rate.
 * </ol>
 *
 * The number in a refusal's message is its stored form ({@code [+19005551234]} for {@code
 * 19005551234} in the US, {@code [111]}); the exception's properties carry {@code number} and
 * {@code option}.
 *
 * <p>Thread-safe: one instance is meant to be shared; it holds only libphonenumber's thread-safe
 * singletons.
 */
public final class PhoneNumbers {
  private final PhoneNumberUtil util;
  private final NumberReader reader;
  private final NumberDescriber describer;

  public PhoneNumbers() {
    this.util = PhoneNumberUtil.getInstance();
    this.reader = new NumberReader(util);
    this.describer =
        new NumberDescriber(
            util,
            PhoneNumberOfflineGeocoder.getInstance(),
            PhoneNumberToCarrierMapper.getInstance(),
            PhoneNumberToTimeZonesMapper.getInstance());
  }

  /**
   * The number to store for a start (or a reschedule that changes the number).
   *
   * @param rawNumber {@code _customer_number} as the client sent it
   * @param policy the service's number options
   * @param serviceName the service, named by the missing-country refusal
   * @return the stored form
   * @throws CallbackException when the policy refuses the number
   */
  public String admit(String rawNumber, PhonePolicy policy, String serviceName) {
    Objects.requireNonNull(rawNumber, "rawNumber");
    Objects.requireNonNull(policy, "policy");
    if (!policy.hasDefaultCountry() && policy.disallowImpossible()) {
      throw NumberRefusals.noDefaultCountry(serviceName, NumberRefusals.DISALLOW_IMPOSSIBLE);
    }
    if (!policy.hasDefaultCountry() && policy.disallowPremium()) {
      throw NumberRefusals.noDefaultCountry(serviceName, NumberRefusals.DISALLOW_PREMIUM);
    }
    Reading reading = reader.read(rawNumber, policy);
    if (policy.disallowImpossible() && reading.impossible()) {
      throw NumberRefusals.impossible(reading.stored());
    }
    if (policy.disallowPremium() && reading.premium(util)) {
      throw NumberRefusals.premium(reading.stored());
    }
    return reading.stored();
  }

  /**
   * The form to look a number up by ({@code _customer_number} in queries): the stored form {@link
   * #admit} gives, without refusing anything.
   */
  public String lookupForm(String rawNumber, PhonePolicy policy) {
    Objects.requireNonNull(rawNumber, "rawNumber");
    Objects.requireNonNull(policy, "policy");
    return reader.read(rawNumber, policy).stored();
  }

  /**
   * The body of {@code GET /genesys/1/phonenumber?number=&country=&geocodingLocale=}: an ordered,
   * unmodifiable map whose values are {@code String}, {@code Integer} ({@code country-code}) or
   * {@code Boolean} ({@code is-…}, {@code italian-leading-zero}).
   *
   * @param number the number as written (mandatory)
   * @param country ISO-3166 region to read it in; {@code US} when null or blank
   * @param geocodingLocale language of {@code location} and {@code carrier}; English when blank
   * @throws CallbackException {@code GSGException}, code 40010, HTTP 400, when the number is
   *     missing or cannot be parsed
   */
  public Map<String, Object> describe(String number, String country, String geocodingLocale) {
    return describer.describe(number, country, geocodingLocale);
  }
}

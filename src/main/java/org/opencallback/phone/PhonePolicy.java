package org.opencallback.phone;

import java.util.Locale;

/**
 * The number options of one callback service, as {@link PhoneNumbers#admit} applies them.
 *
 * @param defaultCountry {@code _default_country}: ISO-3166 region used to read numbers written
 *     without a country code. {@code null} or blank means "not configured"; the canonical value is
 *     trimmed and upper-cased ({@code " us "} becomes {@code "US"}, blank becomes {@code null}).
 * @param disallowImpossible {@code _disallow_impossible_phone_numbers}: refuse numbers that have no
 *     possible reading (see {@link PhoneNumbers}).
 * @param disallowPremium {@code _disallow_premium_phone_numbers}: refuse premium-rate numbers.
 * @param fixPlusOnInternational {@code _fix_plus_on_int_phone_numbers}: read a number written
 *     without its leading {@code +} as international when it is a valid number that way and not a
 *     valid national one.
 */
public record PhonePolicy(
    String defaultCountry,
    boolean disallowImpossible,
    boolean disallowPremium,
    boolean fixPlusOnInternational) {

  /** The "unknown region" code of libphonenumber, used when no default country is configured. */
  static final String NO_REGION = "ZZ";

  public PhonePolicy {
    defaultCountry =
        defaultCountry == null || defaultCountry.isBlank()
            ? null
            : defaultCountry.trim().toUpperCase(Locale.ROOT);
  }

  /** Whether {@code _default_country} is set. */
  public boolean hasDefaultCountry() {
    return defaultCountry != null;
  }

  /** The region handed to libphonenumber: the default country, or {@code ZZ} when none. */
  String region() {
    return defaultCountry == null ? NO_REGION : defaultCountry;
  }
}

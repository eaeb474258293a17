package org.opencallback.phone;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToCarrierMapper;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberFormat;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;
import com.google.i18n.phonenumbers.geocoding.PhoneNumberOfflineGeocoder;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Builds the body of {@code GET /genesys/1/phonenumber}. Thread-safe: immutable, and the
 * libphonenumber singletons it holds are thread-safe.
 */
final class NumberDescriber {
  static final String DEFAULT_COUNTRY = "US";
  static final String DEFAULT_LANGUAGE = "en";

  private final PhoneNumberUtil util;
  private final PhoneNumberOfflineGeocoder geocoder;
  private final PhoneNumberToCarrierMapper carriers;
  private final PhoneNumberToTimeZonesMapper timeZones;

  NumberDescriber(
      PhoneNumberUtil util,
      PhoneNumberOfflineGeocoder geocoder,
      PhoneNumberToCarrierMapper carriers,
      PhoneNumberToTimeZonesMapper timeZones) {
    this.util = util;
    this.geocoder = geocoder;
    this.carriers = carriers;
    this.timeZones = timeZones;
  }

  Map<String, Object> describe(String specified, String country, String geocodingLocale) {
    if (specified == null || specified.isBlank()) {
      throw NumberRefusals.missingNumber();
    }
    String region =
        country == null || country.isBlank()
            ? DEFAULT_COUNTRY
            : country.strip().toUpperCase(Locale.ROOT);
    Locale locale = locale(geocodingLocale);
    PhoneNumber number;
    try {
      number = util.parseAndKeepRawInput(specified, region);
    } catch (NumberParseException e) {
      throw NumberRefusals.unparseable(specified, region);
    }
    PhoneNumberType type = util.getNumberType(number);
    String regionCode = util.getRegionCodeForNumber(number);
    List<String> zones = timeZones.getTimeZonesForNumber(number);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("carrier", carriers.getNameForNumber(number, locale));
    body.put("country-code", number.getCountryCode());
    body.put("country-code-source", number.getCountryCodeSource().name());
    body.put("country-default", region);
    body.put("extension", number.getExtension());
    body.put("is-possible-number", util.isPossibleNumber(number));
    body.put("is-premium", type == PhoneNumberType.PREMIUM_RATE);
    body.put("is-valid-number", util.isValidNumber(number));
    body.put("is-valid-number-for-region", util.isValidNumberForRegion(number, region));
    body.put("italian-leading-zero", number.isItalianLeadingZero());
    body.put("language-specified", locale.getLanguage());
    body.put("location", geocoder.getDescriptionForNumber(number, locale));
    body.put("number-E164", util.format(number, PhoneNumberFormat.E164));
    body.put("number-international", util.format(number, PhoneNumberFormat.INTERNATIONAL));
    body.put("number-national", util.format(number, PhoneNumberFormat.NATIONAL));
    body.put("number-national-short", util.getNationalSignificantNumber(number));
    body.put("number-original", util.formatInOriginalFormat(number, region));
    body.put("number-specified", specified);
    body.put("number-type", type.name());
    body.put("region-code", regionCode == null ? "" : regionCode);
    body.put(
        "time-zone",
        zones.isEmpty() ? PhoneNumberToTimeZonesMapper.getUnknownTimeZone() : zones.get(0));
    return Collections.unmodifiableMap(body);
  }

  /** {@code DE}, {@code de}, {@code fr_FR} or {@code fr-FR}; blank or unreadable means English. */
  static Locale locale(String geocodingLocale) {
    if (geocodingLocale == null || geocodingLocale.isBlank()) {
      return Locale.ENGLISH;
    }
    Locale locale = Locale.forLanguageTag(geocodingLocale.strip().replace('_', '-'));
    return locale.getLanguage().isEmpty() ? Locale.ENGLISH : locale;
  }
}

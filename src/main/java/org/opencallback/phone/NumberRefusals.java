package org.opencallback.phone;

import java.util.LinkedHashMap;
import java.util.Map;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/** The refusals of the number checks and of the phone-number service, with GMS's texts. */
final class NumberRefusals {
  static final String DISALLOW_IMPOSSIBLE = "_disallow_impossible_phone_numbers";
  static final String DISALLOW_PREMIUM = "_disallow_premium_phone_numbers";
  static final String DEFAULT_COUNTRY = "_default_country";

  private NumberRefusals() {}

  static CallbackException premium(String number) {
    return disallowed(number, "it's a premium number", DISALLOW_PREMIUM);
  }

  static CallbackException impossible(String number) {
    return disallowed(number, "it is invalid", DISALLOW_IMPOSSIBLE);
  }

  static CallbackException noDefaultCountry(String serviceName, String option) {
    String message =
        "Service option "
            + serviceName
            + " / "
            + DEFAULT_COUNTRY
            + " is not configured. But option "
            + option
            + " is set. We cannot validate phone numbers without knowing the country.";
    return numberException(message, properties("service", serviceName, "option", option));
  }

  static CallbackException unparseable(String number, String country) {
    return new CallbackException(
        ErrorCode.INVALID_PARAMETER,
        CallbackException.Fault.INVALID_REQUEST,
        "Invalid Phone Number " + number + " for Country " + country + " (parsing impossible)",
        properties("number", number, "country", country),
        Map.of());
  }

  static CallbackException missingNumber() {
    return new CallbackException(
        ErrorCode.INVALID_PARAMETER,
        CallbackException.Fault.INVALID_REQUEST,
        "Invalid Phone Number: parameter number is missing",
        properties("parameter", "number"),
        Map.of());
  }

  private static CallbackException disallowed(String number, String reason, String option) {
    String message =
        "Customer Number ["
            + number
            + "] is disallowed, because "
            + reason
            + ". Check option "
            + option;
    return numberException(message, properties("number", number, "option", option));
  }

  private static CallbackException numberException(String message, Map<String, Object> properties) {
    return new CallbackException(
        ErrorCode.REQUEST_REJECTED,
        CallbackException.Fault.NUMBER_REFUSED,
        message,
        properties,
        Map.of());
  }

  private static Map<String, Object> properties(String... keysAndValues) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      properties.put(keysAndValues[i], String.valueOf(keysAndValues[i + 1]));
    }
    return properties;
  }
}

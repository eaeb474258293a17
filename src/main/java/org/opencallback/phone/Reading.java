package org.opencallback.phone;

import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.PhoneNumberUtil.PhoneNumberType;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/**
 * How a customer number was understood.
 *
 * @param stored the form kept and looked up: E.164 (with {@code ;ext=} when the number had an
 *     extension) for a {@code number} that was found, else the trimmed input
 * @param number the parsed number, or {@code null} when no possible reading exists; never shared
 *     outside this package (libphonenumber's {@code PhoneNumber} is mutable)
 */
record Reading(String stored, PhoneNumber number) {

  /** Whether the input had no possible reading, i.e. is stored as given. */
  boolean impossible() {
    return number == null;
  }

  boolean premium(PhoneNumberUtil util) {
    return number != null && util.getNumberType(number) == PhoneNumberType.PREMIUM_RATE;
  }
}

package org.opencallback.callback.admission;

import org.opencallback.config.ServiceConfig;
import org.opencallback.phone.PhoneNumbers;
import org.opencallback.phone.PhonePolicy;

/**
 * Customer numbers checked and normalised with libphonenumber under the service's options {@code
 * _default_country}, {@code _disallow_impossible_phone_numbers}, {@code
 * _disallow_premium_phone_numbers} and {@code _fix_plus_on_int_phone_numbers} (docs/phone-numbers.md).
 * {@code _default_country} defaults to US; given with an empty value it is "not configured", and
 * requests are refused while a disallow option is on, as in GMS.
 */
public final class PhoneCustomerNumbers implements CustomerNumbers {
  private final PhoneNumbers phones;

  public PhoneCustomerNumbers(PhoneNumbers phones) {
    this.phones = phones;
  }

  static PhonePolicy policy(ServiceConfig service) {
    // an explicitly empty _default_country means "not configured" (GMS refuses per request)
    String country = service.options().isBlank("_default_country")
        ? null
        : service.options().get("_default_country").orElse(null);
    return new PhonePolicy(
        country,
        service.options().bool("_disallow_impossible_phone_numbers", true),
        service.options().bool("_disallow_premium_phone_numbers", true),
        service.options().bool("_fix_plus_on_int_phone_numbers", true));
  }

  @Override
  public String admit(ServiceConfig service, String number) {
    return phones.admit(number, policy(service), service.name());
  }

  @Override
  public String lookupForm(ServiceConfig service, String number) {
    return phones.lookupForm(number, policy(service));
  }
}

package org.opencallback.phone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PhonePolicyTest {

  @Test
  void default_country_is_trimmed_and_upper_cased() {
    PhonePolicy policy = new PhonePolicy(" fr ", true, true, true);

    assertThat(policy.defaultCountry()).isEqualTo("FR");
    assertThat(policy.hasDefaultCountry()).isTrue();
    assertThat(policy.region()).isEqualTo("FR");
  }

  @Test
  void blank_default_country_is_not_configured() {
    for (String country : new String[] {null, "", "  "}) {
      PhonePolicy policy = new PhonePolicy(country, false, false, true);
      assertThat(policy.defaultCountry()).isNull();
      assertThat(policy.hasDefaultCountry()).isFalse();
      assertThat(policy.region()).isEqualTo("ZZ");
    }
  }

  @Test
  void equal_options_make_equal_policies() {
    assertThat(new PhonePolicy("us", true, false, true))
        .isEqualTo(new PhonePolicy("US", true, false, true));
  }
}

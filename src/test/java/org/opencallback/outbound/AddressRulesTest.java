package org.opencallback.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The address check over many forms: every special range refused, ordinary public addresses not. */
class AddressRulesTest {
  /** Literals only: InetAddress parses them without any lookup. */
  private static InetAddress literal(String text) {
    return IpLiterals.parse(text).orElseThrow(() -> new AssertionError("not a literal: " + text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "127.0.0.1", "127.255.255.254", "0.0.0.0", "0.1.2.3", "10.0.0.7", "10.255.255.255", "172.16.0.1",
      "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "192.0.0.8",
      "192.0.2.1", "198.18.0.1", "198.19.255.255", "198.51.100.1", "203.0.113.9", "224.0.0.1",
      "239.255.255.250", "240.0.0.1", "255.255.255.255", "192.88.99.1",
      "::1", "::", "fc00::1", "fd12:3456:789a::1", "fe80::1", "febf::1", "fec0::1", "ff02::1", "ff0e::1",
      "2001:db8::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "100::1",
      "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::ffff:192.168.0.1",
      "::127.0.0.1", "::10.0.0.1", "::8.8.8.8", "64:ff9b::7f00:1", "64:ff9b::a00:7", "2002:7f00:1::", "2002:a00:7::1",
      "2002:c0a8:101::1", "[::1]", "[fd00::1]"})
  void special_addresses_are_refused(String address) {
    assertThat(AddressRules.refusal(literal(address))).as(address).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "8.8.8.8", "1.1.1.1", "93.184.216.34", "172.15.255.255", "172.32.0.0", "100.63.255.255", "100.128.0.0",
      "169.253.255.255", "192.167.255.255", "198.17.255.255", "223.255.255.255", "11.0.0.1",
      "2606:4700:4700::1111", "2a00:1450:4007:80e::200e", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1",
      "fbff:ffff::1", "fe00::1", "2001:db9::1"})
  void ordinary_public_addresses_pass(String address) {
    assertThat(AddressRules.refusal(literal(address))).as(address).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.0/8", "127.0.0.1", "::1", "fc00::/7", "192.168.0.0/16", "0.0.0.0/0"})
  void ranges_parse(String range) {
    assertThat(OutboundPolicy.rangeEntryProblem(range)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "10.0.0.0/33", "::1/129", "10.0.0/8", "256.1.1.1", "10.0.0.0/x", "example.com/8"})
  void bad_ranges_are_configuration_errors(String range) {
    assertThat(OutboundPolicy.rangeEntryProblem(range)).isPresent();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ors.example.com", "https://push.example.com", "http://127.0.0.1:9200", "*.example.com",
      "https://[::1]:8443"})
  void url_entries_parse(String entry) {
    assertThat(OutboundPolicy.urlEntryProblem(entry)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://example.com", "https://example.com/path", "https://user@example.com",
      "example.*.com", "https://example.com?x=1", "http://"})
  void bad_url_entries_are_configuration_errors(String entry) {
    assertThat(OutboundPolicy.urlEntryProblem(entry)).isPresent();
  }
}

package org.opencallback.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The one URL check: scheme, allow-list, and every resolved address (a resolver stub: no real lookup). */
class OutboundGuardTest {
  private static InetAddress ip(String literal) {
    return IpLiterals.parse(literal).orElseThrow();
  }

  /** Names of the tests resolve here only. */
  private static final Map<String, InetAddress[]> DNS = Map.of(
      "public.test", new InetAddress[] {ip("93.184.216.34")},
      "private.test", new InetAddress[] {ip("10.0.0.7")},
      "metadata.test", new InetAddress[] {ip("169.254.169.254")},
      "mixed.test", new InetAddress[] {ip("93.184.216.34"), ip("192.168.0.10")},
      "ula.test", new InetAddress[] {ip("fd00::7")},
      "mapped.test", new InetAddress[] {ip("::ffff:10.0.0.7")},
      "loopback.test", new InetAddress[] {ip("127.0.0.1")});

  private static InetAddress[] resolve(String host) throws UnknownHostException {
    InetAddress[] found = DNS.get(host);
    if (found != null) {
      return found;
    }
    return IpLiterals.parse(host).map(address -> new InetAddress[] {address})
        .orElseThrow(() -> new UnknownHostException(host));
  }

  private static OutboundGuard guard(List<String> urls, List<String> ranges) {
    OutboundPolicy policy = OutboundPolicy.of(urls, ranges);
    return new OutboundGuard(() -> policy, OutboundGuardTest::resolve);
  }

  @Test
  void nothing_is_allowed_by_default() {
    OutboundGuard guard = new OutboundGuard(() -> OutboundPolicy.NONE, OutboundGuardTest::resolve);
    assertThatThrownBy(() -> guard.check("https://public.test/x")).isInstanceOf(OutboundRefused.class)
        .hasMessageContaining("outbound-allowed-urls");
  }

  @Test
  void an_allowed_public_host_passes_with_all_its_addresses() {
    OutboundGuard guard = guard(List.of("https://public.test", "*.example.test"), List.of());
    assertThat(guard.check("https://public.test/push")).containsExactly(ip("93.184.216.34"));
    assertThatThrownBy(() -> guard.check("http://public.test/push")).isInstanceOf(OutboundRefused.class);
    assertThatThrownBy(() -> guard.check("https://example.test/push")).isInstanceOf(OutboundRefused.class);
    assertThatThrownBy(() -> guard.checkUrl("https://public.test.evil.test/")).isInstanceOf(OutboundRefused.class);
    assertThat(guard.checkUrl("https://a.example.test:8443/x").getHost()).isEqualTo("a.example.test");
  }

  @Test
  void a_host_on_the_allow_list_that_resolves_to_a_private_address_is_refused() {
    OutboundGuard guard = guard(List.of("private.test", "metadata.test", "mixed.test", "ula.test", "mapped.test",
        "loopback.test", "127.0.0.1", "10.0.0.7", "[::1]"), List.of());
    for (String url : List.of("http://private.test/", "http://metadata.test/latest/meta-data",
        "http://mixed.test/", "http://ula.test/", "http://mapped.test/", "http://loopback.test/",
        "http://127.0.0.1/", "http://10.0.0.7/", "http://[::1]/")) {
      assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(OutboundRefused.class)
          .hasMessageContaining("outbound-allowed-ranges");
    }
  }

  @Test
  void an_explicitly_allowed_range_passes() {
    OutboundGuard guard = guard(List.of("private.test", "127.0.0.1"), List.of("10.0.0.0/24", "127.0.0.1"));
    assertThat(guard.check("http://private.test:9200/")).containsExactly(ip("10.0.0.7"));
    assertThat(guard.check("http://127.0.0.1:8080/")).containsExactly(ip("127.0.0.1"));
  }

  @Test
  void other_schemes_user_info_and_unresolvable_hosts_are_refused() {
    OutboundGuard guard = guard(List.of("public.test", "nowhere.test"), List.of());
    for (String url : List.of("file:///etc/passwd", "gopher://public.test/", "ftp://public.test/",
        "http://user:pass@public.test/", "http:///nohost", "not a url", "http://nowhere.test/")) {
      assertThatThrownBy(() -> guard.check(url)).as(url).isInstanceOf(OutboundRefused.class);
    }
  }

  @Test
  void decimal_and_shortened_ipv4_forms_are_judged_by_the_address_they_mean() {
    OutboundPolicy policy = OutboundPolicy.of(List.of(), List.of()); // "127.1" is no valid entry either
    OutboundGuard guard = new OutboundGuard(() -> policy, InetAddress::getAllByName);
    // as URLs they are refused (java.net.URI finds no host in them, so nothing could be called) ...
    assertThatThrownBy(() -> guard.check("http://2130706433/")).isInstanceOf(OutboundRefused.class);
    assertThatThrownBy(() -> guard.check("http://127.1/")).isInstanceOf(OutboundRefused.class);
    // ... and as hosts the system resolver reads them as literals (no lookup): 127.0.0.1, loopback
    assertThatThrownBy(() -> guard.addresses("2130706433")).isInstanceOf(OutboundRefused.class)
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> guard.addresses("127.1")).isInstanceOf(OutboundRefused.class)
        .hasMessageContaining("loopback");
    assertThatThrownBy(() -> guard.addresses("[::ffff:127.0.0.1]")).isInstanceOf(OutboundRefused.class)
        .hasMessageContaining("loopback");
  }

  @Test
  void refusal_messages_are_printable_and_short() {
    OutboundGuard guard = guard(List.of(), List.of());
    assertThatThrownBy(() -> guard.check("http://a\u0007b.test/")).isInstanceOf(OutboundRefused.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u0007"));
  }
  /** A resolver that fails the test: admission never looks a name up. */
  private static InetAddress[] noLookup(String host) {
    throw new AssertionError("looked up " + host);
  }

  @Test
  void at_admission_literal_addresses_are_judged_without_any_lookup() {
    OutboundPolicy policy = OutboundPolicy.of(List.of("*.test", "127.0.0.1", "10.0.0.7", "169.254.169.254",
        "[fe80::1]", "[fd00::7]", "0.0.0.0", "localhost", "a.localhost",
        "public.test", "[::ffff:10.0.0.7]", "93.184.216.34", "[2606:4700::1111]"), List.of());
    OutboundGuard guard = new OutboundGuard(() -> policy, OutboundGuardTest::noLookup);
    for (String refused : List.of("http://127.0.0.1/x", "http://10.0.0.7/x", "http://169.254.169.254/latest",
        "http://[fe80::1]/x", "http://[fd00::7]/x", "http://0.0.0.0/x", "http://2130706433/x", "http://127.1/x",
        "http://0x7f000001/x", "http://localhost/x", "http://a.localhost./x", "http://[::ffff:10.0.0.7]/x",
        "ftp://public.test/x", "http://user:pw@public.test/x", "https://other.example/x")) {
      assertThatThrownBy(() -> guard.checkWithoutLookup(refused)).as(refused).isInstanceOf(OutboundRefused.class);
    }
    // names pass (their addresses are checked at connection), public literals pass
    guard.checkWithoutLookup("https://private.test/push");
    guard.checkWithoutLookup("http://93.184.216.34/x");
    guard.checkWithoutLookup("http://[2606:4700::1111]/x");
  }

  @Test
  void at_admission_an_allowed_range_lets_its_literals_pass() {
    OutboundPolicy policy = OutboundPolicy.of(List.of("127.0.0.1", "localhost"), List.of("127.0.0.0/8"));
    OutboundGuard guard = new OutboundGuard(() -> policy, OutboundGuardTest::noLookup);
    guard.checkWithoutLookup("http://127.0.0.1:8080/x");
    guard.checkWithoutLookup("http://localhost:8080/x");
    assertThatThrownBy(() -> guard.checkWithoutLookup("http://127.0.0.2/x")).isInstanceOf(OutboundRefused.class)
        .hasMessageContaining("outbound-allowed-urls");
  }
}

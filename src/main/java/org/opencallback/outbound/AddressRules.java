package org.opencallback.outbound;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges a request-chosen outbound call is refused to unless the operator allows them
 * explicitly ({@code [server] outbound-allowed-ranges}): everything that is not an ordinary public
 * unicast address. IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged
 * by the embedded address. Stateless.
 */
final class AddressRules {
  /** Refused IPv4 ranges and why (RFC 6890 special-purpose registry, plus multicast and reserved). */
  private static final List<Named> V4 = List.of(
      named("0.0.0.0/8", "this network"),
      named("10.0.0.0/8", "private (RFC 1918)"),
      named("100.64.0.0/10", "shared address space (carrier-grade NAT)"),
      named("127.0.0.0/8", "loopback"),
      named("169.254.0.0/16", "link-local (cloud metadata)"),
      named("172.16.0.0/12", "private (RFC 1918)"),
      named("192.0.0.0/24", "IETF protocol assignments"),
      named("192.0.2.0/24", "documentation"),
      named("192.88.99.0/24", "6to4 relay anycast"),
      named("192.168.0.0/16", "private (RFC 1918)"),
      named("198.18.0.0/15", "benchmarking"),
      named("198.51.100.0/24", "documentation"),
      named("203.0.113.0/24", "documentation"),
      named("224.0.0.0/4", "multicast"),
      named("240.0.0.0/4", "reserved or broadcast"));

  /** Refused IPv6 ranges and why; embedded IPv4 forms are handled before these. */
  private static final List<Named> V6 = List.of(
      named("::/128", "unspecified"),
      named("::1/128", "loopback"),
      named("100::/64", "discard-only"),
      named("2001::/32", "Teredo tunnel"),
      named("2001:db8::/32", "documentation"),
      named("fc00::/7", "unique local (ULA)"),
      named("fe80::/10", "link-local"),
      named("fec0::/10", "site-local"),
      named("ff00::/8", "multicast"));

  private static final Cidr MAPPED = Cidr.parse("::ffff:0:0/96");
  private static final Cidr COMPATIBLE = Cidr.parse("::/96");
  private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

  private record Named(Cidr range, String why) {}

  private AddressRules() {}

  private static Named named(String cidr, String why) {
    return new Named(Cidr.parse(cidr), why);
  }

  /** Why this address is refused, or empty for an ordinary public unicast address. */
  static Optional<String> refusal(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (address instanceof Inet6Address) {
      Optional<byte[]> embedded = embeddedV4(bytes);
      if (embedded.isPresent()) {
        return refusalV4(embedded.get()).map(why -> why + " (embedded in an IPv6 address)")
            .or(() -> isZero(bytes, 0, 12) ? Optional.of("IPv4-compatible IPv6 (deprecated)") : Optional.empty());
      }
      for (Named range : V6) {
        if (range.range().contains(bytes)) {
          return Optional.of(range.why());
        }
      }
      return Optional.empty();
    }
    if (address instanceof Inet4Address) {
      return refusalV4(bytes);
    }
    return Optional.of("not an IP address");
  }

  private static Optional<String> refusalV4(byte[] bytes) {
    for (Named range : V4) {
      if (range.range().contains(bytes)) {
        return Optional.of(range.why());
      }
    }
    return Optional.empty();
  }

  /** The IPv4 address inside an IPv4-mapped, IPv4-compatible, NAT64 (64:ff9b::/96) or 6to4 address. */
  private static Optional<byte[]> embeddedV4(byte[] v6) {
    if (MAPPED.contains(v6) || NAT64.contains(v6) || (COMPATIBLE.contains(v6) && !isZero(v6, 12, 15))) {
      return Optional.of(java.util.Arrays.copyOfRange(v6, 12, 16));
    }
    if (SIX_TO_FOUR.contains(v6)) {
      return Optional.of(java.util.Arrays.copyOfRange(v6, 2, 6));
    }
    return Optional.empty();
  }

  private static boolean isZero(byte[] bytes, int from, int to) {
    for (int i = from; i < to; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** An IP literal's address, without any name lookup. */
  static InetAddress literal(byte[] bytes) {
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an address of 4 or 16 bytes", e);
    }
  }
}

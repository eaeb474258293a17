package org.opencallback.outbound;

import java.net.InetAddress;

/**
 * An address range, {@code address/prefix} (IPv4 or IPv6); a bare address is a range of one.
 * Immutable.
 */
record Cidr(byte[] network, int prefix) {
  /**
   * Parses {@code 10.0.0.0/8}, {@code fc00::/7} or {@code 127.0.0.1}. Only IP literals: never a name
   * lookup.
   *
   * @throws IllegalArgumentException when it is not such a range
   */
  static Cidr parse(String text) {
    String trimmed = text.trim();
    int slash = trimmed.indexOf('/');
    String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
    byte[] bytes = IpLiterals.parse(address)
        .orElseThrow(() -> new IllegalArgumentException("not an IP address: " + address))
        .getAddress();
    int prefix;
    try {
      prefix = slash < 0 ? bytes.length * 8 : Integer.parseInt(trimmed.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a prefix length: " + trimmed, e);
    }
    if (prefix < 0 || prefix > bytes.length * 8) {
      throw new IllegalArgumentException("prefix length out of range: " + trimmed);
    }
    return new Cidr(bytes, prefix);
  }

  boolean contains(InetAddress address) {
    return contains(address.getAddress());
  }

  boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    int full = prefix / 8;
    for (int i = 0; i < full; i++) {
      if (address[i] != network[i]) {
        return false;
      }
    }
    int rest = prefix % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (address[full] & mask) == (network[full] & mask);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Cidr that && prefix == that.prefix && java.util.Arrays.equals(network, that.network);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Arrays.hashCode(network) + prefix;
  }

  @Override
  public String toString() {
    return IpLiterals.format(network) + "/" + prefix;
  }
}

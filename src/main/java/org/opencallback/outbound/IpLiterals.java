package org.opencallback.outbound;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** IP literals read by the JDK without any name lookup. Stateless. */
final class IpLiterals {
  private static final String OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
  private static final Pattern DOTTED_QUAD = Pattern.compile(OCTET + "(\\." + OCTET + "){3}");

  private IpLiterals() {}

  /**
   * The address of a dotted-quad IPv4 or an IPv6 literal (brackets allowed); empty for anything
   * else, names included: the JDK looks up only what is not a literal, and those never reach it.
   */
  static Optional<InetAddress> parse(String text) {
    String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
    if (!DOTTED_QUAD.matcher(literal).matches() && literal.indexOf(':') < 0) {
      return Optional.empty();
    }
    try {
      InetAddress address = InetAddress.getByName(literal); // a literal: parsed, never looked up
      if (literal.indexOf(':') >= 0 && address instanceof java.net.Inet4Address) {
        // the JDK turns ::ffff:a.b.c.d into a.b.c.d: keep the IPv6 form that was written
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(address.getAddress(), 0, mapped, 12, 4);
        return Optional.of(java.net.Inet6Address.getByAddress(null, mapped, -1));
      }
      return Optional.of(address);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
  }

  static String format(byte[] address) {
    return AddressRules.literal(address).getHostAddress();
  }
}

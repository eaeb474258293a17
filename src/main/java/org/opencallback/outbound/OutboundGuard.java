package org.opencallback.outbound;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The one check of every URL the server calls because a request chose it (docs/security.md,
 * "Outbound URLs"): http or https, on the allow-list ({@link OutboundPolicy}), and every address its
 * host resolves to an ordinary public one ({@link AddressRules}) unless the operator allowed its
 * range. {@link OutboundHttp} connects only to the addresses this check returned, so a name that
 * resolves differently a moment later (DNS rebinding) changes nothing. Thread-safe.
 */
public final class OutboundGuard {
  /** Resolves a host name to all its addresses (an IP literal to itself). */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  private final Supplier<OutboundPolicy> policy;
  private final Resolver resolver;

  /**
   * @param policy read at every check (hot reload)
   * @param resolver the system's ({@code InetAddress::getAllByName}); tests give a stub
   */
  public OutboundGuard(Supplier<OutboundPolicy> policy, Resolver resolver) {
    this.policy = policy;
    this.resolver = resolver;
  }

  /**
   * Checks a URL without looking its host up: scheme and allow-list.
   *
   * @return the parsed URL
   * @throws OutboundRefused when it is not allowed
   */
  public URI checkUrl(String url) {
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException | NullPointerException e) {
      throw new OutboundRefused("not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new OutboundRefused("only http and https URLs are called, not '" + printable(scheme) + "'");
    }
    if (uri.getHost() == null || uri.getRawUserInfo() != null) {
      throw new OutboundRefused("a URL needs a host and no user info");
    }
    if (!policy.get().allows(uri)) {
      throw new OutboundRefused("host " + printable(OutboundPolicy.hostOf(uri)) + " (port "
          + OutboundPolicy.portOf(uri) + ") is not in [server] outbound-allowed-urls");
    }
    return uri;
  }

  /**
   * Resolves a host and checks every address it resolves to.
   *
   * @return all its addresses, each allowed; the caller connects to these and nothing else
   * @throws OutboundRefused when it does not resolve or any of its addresses is refused
   */
  public List<InetAddress> addresses(String host) {
    String name = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    InetAddress[] resolved;
    try {
      resolved = resolver.resolve(name);
    } catch (UnknownHostException e) {
      throw new OutboundRefused("host " + printable(name) + " does not resolve");
    }
    if (resolved == null || resolved.length == 0) {
      throw new OutboundRefused("host " + printable(name) + " does not resolve");
    }
    OutboundPolicy current = policy.get();
    for (InetAddress address : resolved) {
      Optional<String> refusal = AddressRules.refusal(address);
      if (refusal.isPresent() && !current.allowsRange(address)) {
        throw new OutboundRefused("host " + printable(name) + " resolves to " + address.getHostAddress() + ", "
            + refusal.get() + ", not in [server] outbound-allowed-ranges");
      }
    }
    return Arrays.asList(resolved.clone());
  }

  /**
   * The check of a URL when a request chooses it (at admission), without any name lookup, so that
   * accepting a request never waits for DNS: {@link #checkUrl}, then the address rules for a host
   * that is an address already, an IP literal or {@code localhost} / {@code *.localhost} (loopback by
   * RFC 6761); a host whose last label does not start with a letter (no top-level domain does) is
   * refused as an address in a short, decimal, octal or hex form. A name passes here; its addresses
   * are checked at every connection ({@link #addresses}).
   *
   * @return the parsed URL
   * @throws OutboundRefused when it is not allowed
   */
  public URI checkWithoutLookup(String url) {
    URI uri = checkUrl(url);
    String host = OutboundPolicy.hostOf(uri);
    Optional<InetAddress> literal = IpLiterals.parse(host);
    String name = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
    if (literal.isEmpty() && (name.equals("localhost") || name.endsWith(".localhost"))) {
      literal = IpLiterals.parse("127.0.0.1");
    }
    if (literal.isEmpty()) {
      String last = name.substring(name.lastIndexOf('.') + 1);
      if (last.isEmpty() || !Character.isLetter(last.charAt(0))) {
        throw new OutboundRefused("host " + printable(host) + " is neither a DNS name nor an IP address written a.b.c.d");
      }
      return uri;
    }
    Optional<String> refusal = AddressRules.refusal(literal.get());
    if (refusal.isPresent() && !policy.get().allowsRange(literal.get())) {
      throw new OutboundRefused("host " + printable(host) + " is " + literal.get().getHostAddress() + ", "
          + refusal.get() + ", not in [server] outbound-allowed-ranges");
    }
    return uri;
  }

  /** The policy in effect (a new object after a reload that changed it). */
  OutboundPolicy policy() {
    return policy.get();
  }

  /** Both checks, for a caller that connects by itself. */
  public List<InetAddress> check(String url) {
    return addresses(OutboundPolicy.hostOf(checkUrl(url)));
  }

  /** At most 100 printable characters of a request-chosen text, for messages and logs. */
  static String printable(String text) {
    String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() <= 100 ? clean : clean.substring(0, 100) + "…";
  }
}

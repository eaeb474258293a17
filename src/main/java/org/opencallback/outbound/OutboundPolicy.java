package org.opencallback.outbound;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which URLs chosen by a request the server may call ({@code [server] outbound-allowed-urls}) and
 * which otherwise refused address ranges it may reach ({@code [server] outbound-allowed-ranges}).
 * Empty by default: no request-chosen URL is called at all. Immutable.
 *
 * <p>An allowed-URL entry is {@code [scheme://]host[:port]}; the host may start with {@code *.} for
 * any subdomain (not the domain itself). A URL matches when its scheme (http or https) equals the
 * entry's (any when none), its host equals (case-insensitively) or ends with the wildcard's domain,
 * and its port equals the entry's (any when none). Paths, user info and queries of entries are
 * refused as configuration errors.
 */
public final class OutboundPolicy {
  public static final OutboundPolicy NONE = new OutboundPolicy(List.of(), List.of());

  private record Rule(String scheme, String host, boolean wildcard, int port) {
    boolean matches(URI url) {
      String urlHost = hostOf(url);
      boolean hostMatches = wildcard ? urlHost.endsWith("." + host) : urlHost.equals(host);
      return hostMatches && (scheme == null || scheme.equals(url.getScheme().toLowerCase(Locale.ROOT)))
          && (port < 0 || port == portOf(url));
    }
  }

  private final List<Rule> urls;
  private final List<Cidr> ranges;

  private OutboundPolicy(List<Rule> urls, List<Cidr> ranges) {
    this.urls = urls;
    this.ranges = ranges;
  }

  /**
   * @param allowedUrls {@code [scheme://]host[:port]} entries
   * @param allowedRanges address ranges ({@code 127.0.0.1/32}, {@code 10.1.0.0/16}, {@code ::1})
   * @throws IllegalArgumentException naming the first entry that is not one
   */
  public static OutboundPolicy of(List<String> allowedUrls, List<String> allowedRanges) {
    List<Rule> rules = new ArrayList<>();
    for (String entry : allowedUrls) {
      rules.add(rule(entry.trim()));
    }
    List<Cidr> cidrs = new ArrayList<>();
    for (String entry : allowedRanges) {
      cidrs.add(Cidr.parse(entry));
    }
    return new OutboundPolicy(List.copyOf(rules), List.copyOf(cidrs));
  }

  /** Why an allowed-URL entry is not one, or empty when it is. For the configuration check. */
  public static Optional<String> urlEntryProblem(String entry) {
    try {
      rule(entry.trim());
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Why a range entry is not one, or empty when it is. For the configuration check. */
  public static Optional<String> rangeEntryProblem(String entry) {
    try {
      Cidr.parse(entry);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of(e.getMessage());
    }
  }

  private static Rule rule(String entry) {
    String withScheme = entry.contains("://") ? entry : "any://" + entry;
    int hostStart = withScheme.indexOf("://") + 3;
    boolean wildcard = withScheme.startsWith("*.", hostStart);
    if (wildcard) {
      withScheme = withScheme.substring(0, hostStart) + withScheme.substring(hostStart + 2);
    }
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException("not [scheme://]host[:port]: " + entry, e);
    }
    String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
    if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
        || (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
        || !(scheme == null || scheme.equals("any") || scheme.equals("http") || scheme.equals("https"))) {
      throw new IllegalArgumentException("not [http(s)://]host[:port]: " + entry);
    }
    String host = hostOf(uri);
    return new Rule("any".equals(scheme) ? null : scheme, host, wildcard, uri.getPort());
  }

  /** Whether the URL's scheme, host and port are on the allow-list. */
  boolean allows(URI url) {
    return urls.stream().anyMatch(rule -> rule.matches(url));
  }

  /** Whether the operator allowed this otherwise refused address. */
  boolean allowsRange(java.net.InetAddress address) {
    return ranges.stream().anyMatch(range -> range.contains(address));
  }

  static String hostOf(URI url) {
    String host = url.getHost().toLowerCase(Locale.ROOT);
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }

  static int portOf(URI url) {
    if (url.getPort() >= 0) {
      return url.getPort();
    }
    return "https".equalsIgnoreCase(url.getScheme()) ? 443 : 80;
  }
}

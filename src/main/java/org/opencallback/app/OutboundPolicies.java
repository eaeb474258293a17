package org.opencallback.app;

import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionValues;
import org.opencallback.outbound.OutboundPolicy;

/**
 * The outbound policy of the configuration in effect ({@code [server] outbound-allowed-urls} and
 * {@code outbound-allowed-ranges}), built again only when the configuration object changes (hot
 * reload). Thread-safe: a racing rebuild gives an equal policy.
 */
final class OutboundPolicies implements Supplier<OutboundPolicy> {
  static final String URLS = "outbound-allowed-urls";
  static final String RANGES = "outbound-allowed-ranges";

  private record Built(Configuration from, OutboundPolicy policy) {}

  private final Supplier<Configuration> config;
  private volatile Built built;

  OutboundPolicies(Supplier<Configuration> config) {
    this.config = config;
  }

  @Override
  public OutboundPolicy get() {
    Configuration current = config.get();
    Built last = built;
    if (last != null && last.from() == current) {
      return last.policy();
    }
    OptionValues server = current.server();
    // validated by the catalogue (OptionType.URL_PATTERNS / ADDRESS_RANGES) when the file was loaded
    OutboundPolicy policy = OutboundPolicy.of(server.list(URLS), server.list(RANGES));
    built = new Built(current, policy);
    return policy;
  }
}

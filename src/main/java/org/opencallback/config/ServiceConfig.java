package org.opencallback.config;

import java.util.List;

/**
 * A callback service's options ({@code service.NAME} with {@code _type: ors}), falling back to the
 * {@code callback} section where GMS does, then to the GMS defaults.
 *
 * @param name the execution name used in the URLs
 * @param options the resolved options
 */
public record ServiceConfig(String name, OptionValues options) {

  /**
   * The service's options as they apply to one callback: its own options with the changes its
   * request made when it was admitted ({@code Callback#resolvedOptions}: filled {@code $token$}
   * values, allowed overrides; a null value unsets an option). No changes: this.
   */
  public ServiceConfig withResolved(java.util.Map<String, String> changes) {
    return changes.isEmpty() ? this : new ServiceConfig(name, options.with(changes));
  }

  /** {@code _request_execution_time_buffer} in seconds. */
  public int executionBufferSeconds() {
    return Math.max(0, options.integer("_request_execution_time_buffer", 120));
  }

  /** {@code _ttl} in seconds. */
  public int ttlSeconds() {
    return Math.max(0, options.integer("_ttl", 86400));
  }

  /** {@code _customer_lookup_keys}; both lookup options empty behave as {@code _customer_number}. */
  public List<String> lookupKeys() {
    List<String> keys = options.list("_customer_lookup_keys");
    return keys.isEmpty() ? List.of("_customer_number") : keys;
  }

  /** {@code _mandatory_customer_lookup_keys}. */
  public List<String> mandatoryLookupKeys() {
    List<String> keys = options.list("_mandatory_customer_lookup_keys");
    return keys.isEmpty() ? List.of("_customer_number") : keys;
  }
}

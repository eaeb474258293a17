package org.opencallback.engine;

import java.util.Optional;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;

/**
 * The options a callback runs with: its service's configured options with the changes its request
 * made at admission ({@link Callback#resolvedOptions}: filled {@code $token$} values, the overrides
 * {@code _overwritable_options} allowed). Every hand-off, recovery, cancel and engine look-up reads
 * a callback's service through here, so no engine sees the raw service or the raw request.
 */
public final class CallbackOptions {
  private CallbackOptions() {}

  /** The callback's service as it applies to it; empty when the service is no longer configured. */
  public static Optional<ServiceConfig> of(Configuration configuration, Callback callback) {
    return configuration.service(callback.service()).map(service -> service.withResolved(callback.resolvedOptions()));
  }
}

package org.opencallback.app;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.Configuration;
import org.opencallback.domain.CallbackState;
import org.opencallback.store.CallbackStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a reload that drops (or renames) a service that still has active callbacks: they would
 * wait, parked, for a service that no longer exists (docs/reliability.md). {@code [server]
 * allow-service-removal: true} in the new configuration lets it through, with a warning. Runs on
 * reloads only (the store is not open when the first configuration is checked); one grouped count
 * of the active callbacks per reload. Thread-safe (no state of its own).
 */
final class ServiceRemovalCheck implements ConfigValidator {
  static final String OPTION = "allow-service-removal";
  private static final Logger LOG = LoggerFactory.getLogger(ServiceRemovalCheck.class);
  private static final Set<CallbackState> ACTIVE = EnumSet.complementOf(EnumSet.of(CallbackState.COMPLETED));

  private final Supplier<Configuration> current;
  private final CallbackStore store;

  ServiceRemovalCheck(Supplier<Configuration> current, CallbackStore store) {
    this.current = current;
    this.store = store;
  }

  @Override
  public void validate(Configuration next) throws ConfigException {
    Set<String> removed = new java.util.TreeSet<>(current.get().services().keySet());
    removed.removeAll(next.services().keySet());
    if (removed.isEmpty()) {
      return;
    }
    Map<String, Long> active = new TreeMap<>(store.countInStates(ACTIVE, Instant.EPOCH));
    active.keySet().retainAll(removed);
    active.values().removeIf(count -> count == 0);
    if (active.isEmpty()) {
      return;
    }
    if (next.server().bool(OPTION, false)) {
      active.forEach((service, count) -> LOG.warn("Service {} removed with {} active callback(s) ([server] {}):"
          + " they stay parked until a service of that name is configured again", service, count, OPTION));
      return;
    }
    StringBuilder named = new StringBuilder();
    active.forEach((service, count) -> named.append(named.length() == 0 ? "" : ", ")
        .append("service ").append(service).append(" has ").append(count).append(" active callback(s)"));
    throw new ConfigException("a reload may not remove a service with active callbacks (" + named
        + "); complete or cancel them first, or set [server] " + OPTION + ": true");
  }
}

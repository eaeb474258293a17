package org.opencallback.scheduling;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.store.ServicePauseStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which callback services are paused. A service is paused when an administrator paused it ({@link
 * #pause}, kept in a {@link ServicePauseStore}) or when the GMS transaction list named by its {@code
 * _paused_services_list} says so: in that section's annex {@code services} (or at its top level, as
 * an INI export has it) the entry of the service's name, else of its {@code _paused_services_id},
 * else {@code all}, is {@code true}.
 *
 * <p>{@link #isPaused} reads a snapshot, cheap enough for every decision; {@link #refresh()}
 * recomputes it from the configuration in force and the store (the server runs it every second)
 * and tells the listeners about services that resumed. Thread-safe.
 */
public final class ServicePauses {
  private static final Logger LOG = LoggerFactory.getLogger(ServicePauses.class);
  /** Never paused. */
  public static final ServicePauses NONE = new ServicePauses(() -> null, null);

  private final Supplier<Configuration> config;
  private final ServicePauseStore store;
  private final List<Consumer<Set<String>>> resumeListeners = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();
  private volatile Set<String> admin = Set.of();
  private volatile Set<String> paused = Set.of();

  /**
   * @param store where administrators' pauses are kept; null keeps them in memory only
   */
  public ServicePauses(Supplier<Configuration> config, ServicePauseStore store) {
    this.config = config;
    this.store = store;
  }

  public boolean isPaused(String service) {
    return paused.contains(service);
  }

  /** The paused services, as of the last refresh. */
  public Set<String> paused() {
    return paused;
  }

  /** Services paused by an administrator. */
  public Set<String> pausedByAdmin() {
    return admin;
  }

  /** Called with the services that were paused and no longer are, on the refreshing thread. */
  public void onResume(Consumer<Set<String>> listener) {
    resumeListeners.add(listener);
  }

  /** Pauses a service (admin API); effective at once on this node. */
  public void pause(String service) {
    if (store != null) {
      store.set(service, true);
    }
    synchronized (lock) {
      Set<String> next = new LinkedHashSet<>(admin);
      next.add(service);
      admin = Set.copyOf(next);
    }
    LOG.info("Service {} paused by an administrator", service);
    refresh(false);
  }

  /** Lifts an administrator's pause; the service stays paused if its transaction list says so. */
  public void resume(String service) {
    if (store != null) {
      store.set(service, false);
    }
    synchronized (lock) {
      Set<String> next = new LinkedHashSet<>(admin);
      next.remove(service);
      admin = Set.copyOf(next);
    }
    LOG.info("Service {} resumed by an administrator", service);
    refresh(false);
  }

  /** Re-reads the store and the configuration; never throws. */
  public void refresh() {
    refresh(true);
  }

  private void refresh(boolean readStore) {
    try {
      Set<String> resumed;
      synchronized (lock) {
        if (readStore && store != null) {
          admin = Set.copyOf(store.paused());
        }
        Configuration configuration = config.get();
        Set<String> next = new LinkedHashSet<>();
        if (configuration != null) {
          for (ServiceConfig service : configuration.services().values()) {
            if (admin.contains(service.name()) || pausedByList(configuration, service)) {
              next.add(service.name());
            }
          }
        }
        resumed = new LinkedHashSet<>(paused);
        resumed.removeAll(next);
        Set<String> newlyPaused = new LinkedHashSet<>(next);
        newlyPaused.removeAll(paused);
        paused = Set.copyOf(next);
        if (!newlyPaused.isEmpty()) {
          LOG.info("Paused services now {}", paused);
        }
      }
      if (!resumed.isEmpty()) {
        LOG.info("Services {} resumed", resumed);
        for (Consumer<Set<String>> listener : resumeListeners) {
          listener.accept(resumed);
        }
      }
    } catch (RuntimeException e) {
      LOG.error("Reading the paused services failed; the previous state stays", e);
    }
  }

  /** Whether the service's transaction list pauses it, and which entry says so. */
  public Optional<String> pausedBy(String service) {
    Configuration configuration = config.get();
    if (configuration == null) {
      return Optional.empty();
    }
    return configuration.service(service).filter(s -> pausedByList(configuration, s))
        .map(s -> s.options().string("_paused_services_list", "GMS_Paused_Services"));
  }

  static boolean pausedByList(Configuration configuration, ServiceConfig service) {
    String list = service.options().string("_paused_services_list", "GMS_Paused_Services").trim();
    Map<String, Object> section = configuration.rawSection(list);
    if (section.isEmpty()) {
      return false;
    }
    Object annex = section.get("services");
    Map<?, ?> entries = annex instanceof Map ? (Map<?, ?>) annex : section;
    Object value = entries.get(service.name());
    Optional<String> id = service.options().get("_paused_services_id").map(String::trim).filter(s -> !s.isEmpty());
    if (value == null && id.isPresent()) {
      value = entries.get(id.get());
    }
    if (value == null) {
      value = entries.get("all");
    }
    return value != null && String.valueOf(value).trim().equalsIgnoreCase("true");
  }
}

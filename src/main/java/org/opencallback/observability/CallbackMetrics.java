package org.opencallback.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.CallbackState;
import org.opencallback.store.CallbackStore;

/**
 * Callback meters: created per service, refused per service and code, completed per service and
 * reason, and a gauge of callbacks per service and state, read from the store at most every
 * {@link #GAUGE_CACHE} (on scrape). Thread-safe.
 */
public final class CallbackMetrics implements CallbackListener {
  /** Prometheus reserves the {@code _created} suffix, hence "accepted". */
  public static final String CREATED = "opencallback.callbacks.accepted";
  public static final String REJECTED = "opencallback.callbacks.rejected";
  public static final String COMPLETED = "opencallback.callbacks.completed";
  public static final String STORED = "opencallback.callbacks.stored";
  /** Service tag of a refused request to a service that is not configured (keeps the series bounded). */
  static final String UNKNOWN_SERVICE = MetricLabels.UNKNOWN_SERVICE;
  static final Duration GAUGE_CACHE = Duration.ofSeconds(5);

  private final MeterRegistry registry;
  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final Clock clock;
  /** Bound: one gauge per service name and state seen (configured services × 6 states). */
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final Object refreshLock = new Object();
  private Instant refreshed;

  public CallbackMetrics(MeterRegistry registry, Supplier<Configuration> config, CallbackStore store, Clock clock) {
    this.registry = registry;
    this.config = config;
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void created(Callback callback) {
    Counter.builder(CREATED).description("Callbacks accepted")
        .tag("service", MetricLabels.service(config.get(), callback.service()))
        .register(registry).increment();
  }

  @Override
  public void rejected(String service, CallbackException refusal) {
    String tag = MetricLabels.service(config.get(), service);
    Counter.builder(REJECTED).description("Start requests refused, by GMS error code")
        .tag("service", tag).tag("code", String.valueOf(refusal.code().code()))
        .register(registry).increment();
  }

  @Override
  public void changed(Callback before, Callback after) {
    if (after.state() == CallbackState.COMPLETED && before.state() != CallbackState.COMPLETED) {
      // a reason outside the known set is stored as given but counted under one label (issue 15)
      Counter.builder(COMPLETED).description("Callbacks completed, by reason")
          .tag("service", MetricLabels.service(config.get(), after.service()))
          .tag("reason", MetricLabels.reason(after.reason()))
          .register(registry).increment();
    }
  }

  /** Reads the per-state counts from the store unless they were read less than {@link #GAUGE_CACHE} ago. */
  public void refreshGauges() {
    synchronized (refreshLock) {
      Instant now = clock.instant();
      if (refreshed != null && now.isBefore(refreshed.plus(GAUGE_CACHE))) {
        return;
      }
      Map<String, Map<CallbackState, Long>> counts = store.countByServiceAndState();
      Set<String> services = new TreeSet<>(config.get().services().keySet());
      services.addAll(counts.keySet());
      for (String service : services) {
        Map<CallbackState, Long> byState = counts.getOrDefault(service, Map.of());
        for (CallbackState state : CallbackState.values()) {
          gauge(service, state).set(byState.getOrDefault(state, 0L));
        }
      }
      // a service no longer stored nor configured reads zero
      gauges.forEach((key, value) -> {
        String service = key.substring(0, key.lastIndexOf('\n'));
        if (!services.contains(service)) {
          value.set(0);
        }
      });
      refreshed = now;
    }
  }

  private AtomicLong gauge(String service, CallbackState state) {
    return gauges.computeIfAbsent(service + "\n" + state.name(), key -> {
      AtomicLong value = new AtomicLong();
      Gauge.builder(STORED, value, AtomicLong::get)
          .description("Callbacks stored, by service and state")
          .tag("service", service).tag("state", state.name())
          .strongReference(true)
          .register(registry);
      return value;
    });
  }
}

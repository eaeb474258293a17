package org.opencallback.app;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.opencallback.config.ConfigHolder;
import org.opencallback.engine.EngineRegistry;
import org.opencallback.engine.builtin.BuiltinEngine;
import org.opencallback.observability.Metrics;
import org.opencallback.scheduling.Dispatcher;
import org.opencallback.store.JdbcCallbackStore;

/** The meters the wiring registers on parts that do not know Micrometer's registry themselves. */
final class ServerMeters {
  private ServerMeters() {}

  /** Group commit: inserts per transaction = inserts_grouped / insert_transactions. */
  static void store(Metrics metrics, JdbcCallbackStore jdbcStore) {
    FunctionCounter
        .builder("opencallback_store_insert_transactions", jdbcStore, JdbcCallbackStore::insertTransactions)
        .description("Transactions that stored new callbacks (one per group of concurrent creates)")
        .register(metrics.registry());
    FunctionCounter
        .builder("opencallback_store_inserts_grouped", jdbcStore, JdbcCallbackStore::insertsGrouped)
        .description("New callbacks checked and stored by those transactions")
        .register(metrics.registry());
  }

  /** How late scheduled callbacks leave SCHEDULED. */
  static void dispatch(Metrics metrics, Dispatcher dispatcher) {
    Timer lateness = Timer
        .builder("opencallback_dispatch_lateness")
        .description("How late scheduled callbacks left SCHEDULED after their due time")
        .publishPercentileHistogram()
        .register(metrics.registry());
    dispatcher.observeLateness(late -> lateness.record(late.isNegative() ? Duration.ZERO : late));
    io.micrometer.core.instrument.Gauge.builder("opencallback_callbacks_parked_unknown_service", dispatcher,
        Dispatcher::parkedUnknownService).description("Callbacks kept QUEUED because their service is not configured")
        .register(metrics.registry());
  }

  /** Built-in queue sizes and each service's EWT, refreshed on every scrape. */
  static void engines(Metrics metrics, ConfigHolder holder, BuiltinEngine builtin, EngineRegistry engines) {
    MultiGauge queues = MultiGauge
        .builder("opencallback_engine_queue_size")
        .description("Callbacks waiting for an agent in each virtual queue of the built-in engine")
        .register(metrics.registry());
    MultiGauge ewt = MultiGauge
        .builder("opencallback_engine_ewt_seconds")
        .description("Expected wait time of a new callback, per service")
        .register(metrics.registry());
    metrics.beforeScrape(() -> {
      // queue names a request chose are counted under one label (observability.MetricLabels)
      queues.register(org.opencallback.observability.MetricLabels.queueSizes(holder.get(), builtin.queueSizes())
          .entrySet().stream()
          .map(e -> MultiGauge.Row.of(
              Tags.of("queue", e.getKey()), e.getValue()))
          .toList(), true);
      ewt.register(holder.get().services().values().stream()
          .map(service -> MultiGauge.Row.of(
              Tags.of("service", service.name()),
              engines.forService(service).ewt(service).toMillis() / 1000.0))
          .toList(), true);
    });
  }
}

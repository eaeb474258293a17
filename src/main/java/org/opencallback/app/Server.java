package org.opencallback.app;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import org.opencallback.config.ConfigWatcher;
import org.opencallback.http.HttpServer;
import org.opencallback.observability.Metrics;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.Database;
import org.opencallback.store.GracefulStop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server: started by {@link #start} (the wiring steps are in {@link Assembly}, the only
 * place that names concrete classes) and stopped gracefully by {@link #close}.
 */
public final class Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);
  private final Database database;
  private final HttpServer http;
  private final ConfigWatcher watcher;
  private final ScheduledExecutorService background;
  private final String host;
  private final CallbackStore store;
  private final List<AutoCloseable> execution;
  private final Metrics metrics;

  Server(Database database, HttpServer http, ConfigWatcher watcher,
      ScheduledExecutorService background, String host, CallbackStore store, List<AutoCloseable> execution,
      Metrics metrics) {
    this.metrics = metrics;
    this.database = database;
    this.http = http;
    this.watcher = watcher;
    this.background = background;
    this.host = host;
    this.store = store;
    this.execution = execution;
  }

  /**
   * Loads the configuration, opens the database and starts listening: the steps below, in this order.
   *
   * @throws UsageException for a bad configuration, data directory, database or port
   */
  public static Server start(Settings settings, Clock clock) throws UsageException {
    Assembly assembly = new Assembly(settings, clock);
    assembly.loadConfiguration();
    assembly.openDatabase();
    assembly.joinCluster();
    assembly.buildObservability();
    assembly.buildEngines();
    assembly.buildServices();
    assembly.buildApi();
    assembly.listen();
    return assembly.startBackground();
  }

  public int port() {
    return http.port();
  }

  public String host() {
    return host;
  }

  public CallbackStore store() {
    return store;
  }

  /** Where meters are registered and scraped from ({@code /metrics}): add meters here. */
  public MeterRegistry meterRegistry() {
    return metrics.registry();
  }

  public Metrics metrics() {
    return metrics;
  }

  /** Graceful stop: not ready, stop taking requests, finish those in flight, close the database. */
  @Override
  public void close() {
    LOG.info("OpenCallback stopping");
    http.notReady();
    if (watcher != null) {
      watcher.close();
    }
    // no interrupt while housekeeping may be in the store: one inside H2's file I/O closes H2's file
    // (the commit in flight and every later one lost); interrupted only past the bound
    GracefulStop.stop(background, GracefulStop.BOUND);
    http.stop();
    for (AutoCloseable part : execution) {
      try {
        part.close();
      } catch (Exception e) {
        LOG.warn("Stopping {} failed", part, e);
      }
    }
    database.close();
    LOG.info("OpenCallback stopped");
  }

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}

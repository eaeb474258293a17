package org.opencallback.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.opencallback.callback.CallbackQueries;
import org.opencallback.callback.admission.AdmissionConfigCheck;
import org.opencallback.callback.admission.Availability;
import org.opencallback.callback.CallbackService;
import org.opencallback.callback.admission.CustomerNumbers;
import org.opencallback.callback.admission.PhoneCustomerNumbers;
import org.opencallback.callback.admission.ServiceCalendars;
import org.opencallback.phone.PhoneNumbers;
import org.opencallback.callback.admission.IdGenerator;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigHolder;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.ConfigWatcher;
import org.opencallback.config.Configuration;
import org.opencallback.cluster.ClusterMembership;
import org.opencallback.cluster.ClusterSettings;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.scheduling.Dispatcher;
import org.opencallback.engine.EngineRegistry;
import org.opencallback.scheduling.Housekeeper;
import org.opencallback.scheduling.ServicePauses;
import org.opencallback.engine.builtin.SimulatedDialer;
import org.opencallback.engine.ors.OrsEngine;
import org.opencallback.engine.webhook.WebhookEngine;
import org.opencallback.http.NotificationRoutes;
import org.opencallback.http.PauseRoutes;
import org.opencallback.notify.EventStreams;
import org.opencallback.notify.MessageFiles;
import org.opencallback.notify.Notifier;
import org.opencallback.outbound.OutboundGuard;
import org.opencallback.outbound.OutboundHttp;
import org.opencallback.store.JdbcServicePauseStore;
import org.opencallback.engine.builtin.BuiltinEngine;
import org.opencallback.engine.builtin.BuiltinEngineConfigCheck;
import io.micrometer.core.instrument.MeterRegistry;
import org.opencallback.http.AdminRoutes;
import org.opencallback.http.AgentRoutes;
import org.opencallback.http.Authentication;
import org.opencallback.http.Cors;
import org.opencallback.http.MetricsRoutes;
import org.opencallback.http.RequestLog;
import org.opencallback.http.AvailabilityRoutes;
import org.opencallback.http.CallbackRoutes;
import org.opencallback.http.HttpServer;
import org.opencallback.http.PhoneNumberRoutes;
import org.opencallback.http.UiRoutes;
import org.opencallback.admin.AdminService;
import org.opencallback.observability.CallbackLog;
import org.opencallback.observability.CallbackMetrics;
import org.opencallback.observability.LogFormat;
import org.opencallback.observability.Metrics;
import org.opencallback.observability.ReportingEvents;
import org.opencallback.observability.WebhookSender;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.store.NodeStore;
import org.opencallback.store.NotificationListener;
import org.opencallback.store.WaitingStore;
import org.opencallback.engine.builtin.SharedQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the server by hand: the only place that names concrete classes. */
public final class Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);
  /** In a cluster, how often each node reads the callbacks falling due (others' creations included). */
  private static final Duration CLUSTER_LOAD_EVERY = Duration.ofSeconds(2);
  static final Duration CONFIG_POLL = Duration.ofSeconds(1);
  static final Duration HOUSEKEEPING = Duration.ofSeconds(30);
  /** How often paused services are read again (configuration and store). */
  static final Duration PAUSE_REFRESH = Duration.ofSeconds(1);
  /** {@code [server] reporting-webhook}: URL reporting events are POSTed to. */
  static final String WEBHOOK_OPTION = "reporting-webhook";
  /** Every feature's load-time checks of the configuration. */
  static ConfigValidator validator(ServiceCalendars calendars) {
    AdmissionConfigCheck admission = new AdmissionConfigCheck();
    BuiltinEngineConfigCheck engine = new BuiltinEngineConfigCheck();
    return configuration -> {
      admission.validate(configuration);
      engine.validate(configuration);
      ClusterSettings.CHECK.validate(configuration);
      calendars.validate(configuration);
    };
  }

  private final Database database;
  private final HttpServer http;
  private final ConfigWatcher watcher;
  private final ScheduledExecutorService background;
  private final String host;
  private final CallbackStore store;
  private final List<AutoCloseable> execution;
  private final Metrics metrics;

  private Server(Database database, HttpServer http, ConfigWatcher watcher,
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
   * Loads the configuration, opens the database and starts listening.
   *
   * @throws UsageException for a bad configuration, data directory, database or port
   */
  public static Server start(Settings settings, Clock clock) throws UsageException {
    Path configFile = settings.config();
    if (configFile == null && Files.isRegularFile(Path.of("opencallback.yaml"))) {
      configFile = Path.of("opencallback.yaml");
    }
    ServiceCalendars calendars = new ServiceCalendars();
    ConfigValidator validator = validator(calendars);
    Configuration configuration;
    try {
      if (configFile == null) {
        configuration = Configuration.from(ConfigLoader.bundledDemo(), "bundled demo");
      } else {
        if (!Files.isRegularFile(configFile)) {
          throw new UsageException("configuration file " + configFile + " does not exist or is not a file");
        }
        configuration = Configuration.from(ConfigLoader.read(configFile), configFile.toString());
      }
      validator.validate(configuration);
    } catch (ConfigException e) {
      throw new UsageException(e.getMessage());
    }
    LOG.info("Configuration {}: {} callback service(s) {}",
        configuration.origin(), configuration.services().size(), configuration.services().keySet());
    ConfigHolder holder = new ConfigHolder(configuration);
    if (LogFormat.apply(configuration.server().get(LogFormat.OPTION).orElse(null))) {
      LOG.info("Logging as JSON ([server] {})", LogFormat.OPTION);
    }

    String url = settings.dbUrl();
    if (url == null) {
      try {
        Files.createDirectories(settings.dataDir());
      } catch (Exception e) {
        throw new UsageException("cannot create data directory " + settings.dataDir() + ": " + e.getMessage());
      }
      url = Database.embeddedUrl(settings.dataDir());
    }
    // [cluster] and [database] are read at start; a reload does not change them
    ClusterSettings clusterSettings = ClusterSettings.of(configuration);
    Database database;
    try {
      database = Database.open(url, settings.dbUser(), settings.dbPassword(), clusterSettings.poolSize());
    } catch (RuntimeException e) {
      throw new UsageException(e.getMessage());
    }

    ObjectMapper json = new ObjectMapper();
    JdbcCallbackStore jdbcStore = new JdbcCallbackStore(
        database.dataSource(), json, database.isPostgres() ? Dialect.POSTGRESQL : Dialect.H2);
    CallbackStore store = jdbcStore;
    // cluster mode (docs/cluster.md): on PostgreSQL every node has a lease and owns what it holds
    ClusterMembership membership = null;
    NodeStore nodeStore = new NodeStore(database.dataSource());
    if (database.isPostgres()) {
      jdbcStore.ownedBy(settings.nodeId());
      membership = new ClusterMembership(nodeStore, settings.nodeId(), Clock.systemUTC(), clusterSettings.lease(),
          clusterSettings.heartbeat());
      LOG.info("Cluster mode as node {}: lease {} ms, heartbeat {} ms", settings.nodeId(), clusterSettings.lease().toMillis(),
          clusterSettings.heartbeat().toMillis());
      try {
        membership.join();
      } catch (IllegalStateException e) {
        database.close();
        throw new UsageException(e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        database.close();
        throw new UsageException("interrupted while joining the cluster");
      }
    }
    PhoneNumbers phones = new PhoneNumbers();
    CustomerNumbers numbers = new PhoneCustomerNumbers(phones);
    CallbackListeners listeners = new CallbackListeners();
    Metrics metrics = new Metrics();
    CallbackMetrics callbackMetrics = new CallbackMetrics(metrics.registry(), holder, store, clock);
    metrics.beforeScrape(callbackMetrics::refreshGauges);
    // group commit: inserts per transaction = inserts_grouped / insert_transactions
    io.micrometer.core.instrument.FunctionCounter
        .builder("opencallback_store_insert_transactions", jdbcStore, JdbcCallbackStore::insertTransactions)
        .description("Transactions that stored new callbacks (one per group of concurrent creates)")
        .register(metrics.registry());
    io.micrometer.core.instrument.FunctionCounter
        .builder("opencallback_store_inserts_grouped", jdbcStore, JdbcCallbackStore::insertsGrouped)
        .description("New callbacks checked and stored by those transactions")
        .register(metrics.registry());
    WebhookSender webhook = new WebhookSender(
        () -> holder.get().server().get(WEBHOOK_OPTION).orElse(null), metrics.registry());
    listeners.add(new CallbackLog()).add(callbackMetrics).add(new ReportingEvents(json, clock, webhook));
    // the engines report through the callback service, which is built after them
    AtomicReference<CallbackService> service = new AtomicReference<>();
    CallbackReporter reporter = (id, state, reason, properties) -> service.get().report(id, state, reason, properties);
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, daemon("engine-timer"));
    // this server's base URL as engines and receivers reach it: [server] public-url
    AtomicInteger listening = new AtomicInteger(settings.port());
    Supplier<String> publicUrl = () -> holder.get().server().get("public-url").map(String::trim)
        .filter(base -> !base.isEmpty()).orElseGet(() -> "http://localhost:" + listening.get());
    ServicePauses pauses = new ServicePauses(holder, new JdbcServicePauseStore(database.dataSource(), clock));
    pauses.refresh();
    // calls to URLs a request chose (_ors overwrite, httpcb): allow-list and address rules (docs/security.md)
    OutboundHttp outbound = new OutboundHttp(
        new OutboundGuard(new OutboundPolicies(holder), java.net.InetAddress::getAllByName));
    // execution engines
    // cluster mode: one queue across the nodes, in the database (docs/cluster.md)
    SharedQueues shared = membership == null ? null
        : new ClusterQueues(new WaitingStore(database.dataSource(), settings.nodeId()), store, json);
    BuiltinEngine builtin = new BuiltinEngine(
        holder, reporter, clock, timers, new SimulatedDialer(holder, timers), pauses::isPaused, shared);
    EngineRegistry engines = new EngineRegistry(Map.of(
        EngineRegistry.BUILTIN, builtin,
        EngineRegistry.WEBHOOK, new WebhookEngine(holder, reporter, clock, publicUrl, json),
        EngineRegistry.ORS, new OrsEngine(holder, reporter, store::find, publicUrl, json, outbound)));
    Dispatcher dispatcher = new Dispatcher(holder, store, engines, reporter, clock, 4, pauses);
    listeners.add(dispatcher);
    if (membership != null) {
      dispatcher.recoverOnlyOwned(() -> nodeStore.adopt(settings.nodeId(), false));
      dispatcher.loadEvery(CLUSTER_LOAD_EVERY);
    }
    io.micrometer.core.instrument.Timer lateness = io.micrometer.core.instrument.Timer
        .builder("opencallback_dispatch_lateness")
        .description("How late scheduled callbacks left SCHEDULED after their due time")
        .publishPercentileHistogram()
        .register(metrics.registry());
    dispatcher.observeLateness(late -> lateness.record(late.isNegative() ? Duration.ZERO : late));
    engineGauges(metrics, holder, builtin, engines);
    EventStreams notificationStreams = new EventStreams();
    Notifier notifier = new Notifier(holder, reporter, store, clock, new MessageFiles(json),
        notificationStreams, json, timers, outbound);
    listeners.add(notifier);
    notifier.start();
    CallbackService callbacks = new CallbackService(
        holder, store, clock, new IdGenerator(IdGenerator.nodeNumber(settings.nodeId())),
        dispatcher::ewt, listeners, numbers, calendars, dispatcher);
    service.set(callbacks);
    CallbackQueries queries = new CallbackQueries(holder, store, numbers);

    AvailabilityRoutes availability =
        new AvailabilityRoutes(new Availability(holder, store, calendars, clock), json, clock);
    AdminService admin = new AdminService(holder, store, callbacks, numbers, clock);
    HttpServer http = new HttpServer(settings.host(), settings.port(), json, List.of(
        new Cors(holder),
        new Authentication(holder, json, clock, metrics.registry()),
        new MetricsRoutes(metrics),
        new org.opencallback.http.OpenApiRoutes(json),
        new AdminRoutes(admin, queries, json),
        availability,
        new CallbackRoutes(callbacks, queries, json),
        new PhoneNumberRoutes(phones, json),
        new AgentRoutes(builtin, json),
        new NotificationRoutes(callbacks, notificationStreams, json),
        new PauseRoutes(holder, callbacks, pauses, json),
        availability.builtinServices(),
        new UiRoutes(holder, store, json, clock)), new RequestLog(metrics.registry()),
        configuration.server().integer(HttpServer.MAX_CONCURRENT_REQUESTS, HttpServer.DEFAULT_MAX_CONCURRENT_REQUESTS));
    try {
      http.start();
      listening.set(http.port());
      dispatcher.start();
    } catch (RuntimeException e) {
      try {
        http.stop();
      } catch (RuntimeException ignored) {
        // it did not start
      }
      dispatcher.close();
      engines.close();
      timers.shutdownNow();
      webhook.close();
      outbound.close();
      database.close();
      throw new UsageException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + rootMessage(e));
    }
    ConfigWatcher watcher = configFile == null ? null : new ConfigWatcher(configFile, holder, CONFIG_POLL, validator);
    ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(daemon("housekeeping"));
    Housekeeper housekeeper = new Housekeeper(store, callbacks, clock);
    background.scheduleWithFixedDelay(housekeeper::runOnce, 5, HOUSEKEEPING.toSeconds(), TimeUnit.SECONDS);
    background.scheduleWithFixedDelay(pauses::refresh, 1, PAUSE_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    List<AutoCloseable> execution = new java.util.ArrayList<>(
        List.of(dispatcher, notifier, engines, timers::shutdownNow, webhook, outbound));
    if (membership != null) {
      // engines hear of each other through LISTEN/NOTIFY: cancels, claims, callbacks entering queues
      NotificationListener listener = new NotificationListener(url, settings.dbUser(), settings.dbPassword(),
          WaitingStore.CHANNEL, builtin::notified, builtin::resync).start();
      execution.add(0, listener);
      ScheduledExecutorService cluster = Executors.newSingleThreadScheduledExecutor(daemon("cluster-lease"));
      membership.start(cluster, dispatcher, () -> {
        // another node has taken this node's callbacks: working on would handle them twice
        LOG.error("Exiting: this node's lease was lost");
        Runtime.getRuntime().halt(3);
      });
      execution.add(0, cluster::shutdownNow);
      execution.add(membership);
    }
    Server server = new Server(database, http, watcher, background, settings.host(), store,
        execution, metrics);
    LOG.info("OpenCallback listening on http://{}:{}", settings.host(), http.port());
    return server;
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
    background.shutdownNow();
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

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
  }

  /** Built-in queue sizes and each service's EWT, refreshed on every scrape. */
  private static void engineGauges(Metrics metrics, ConfigHolder holder, BuiltinEngine builtin, EngineRegistry engines) {
    io.micrometer.core.instrument.MultiGauge queues = io.micrometer.core.instrument.MultiGauge
        .builder("opencallback_engine_queue_size")
        .description("Callbacks waiting for an agent in each virtual queue of the built-in engine")
        .register(metrics.registry());
    io.micrometer.core.instrument.MultiGauge ewt = io.micrometer.core.instrument.MultiGauge
        .builder("opencallback_engine_ewt_seconds")
        .description("Expected wait time of a new callback, per service")
        .register(metrics.registry());
    metrics.beforeScrape(() -> {
      queues.register(builtin.queueSizes().entrySet().stream()
          .map(e -> io.micrometer.core.instrument.MultiGauge.Row.of(
              io.micrometer.core.instrument.Tags.of("queue", e.getKey()), e.getValue()))
          .toList(), true);
      ewt.register(holder.get().services().values().stream()
          .map(service -> io.micrometer.core.instrument.MultiGauge.Row.of(
              io.micrometer.core.instrument.Tags.of("service", service.name()),
              engines.forService(service).ewt(service).toMillis() / 1000.0))
          .toList(), true);
    });
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}

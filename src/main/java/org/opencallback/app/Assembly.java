package org.opencallback.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.opencallback.admin.AdminService;
import org.opencallback.callback.CallbackQueries;
import org.opencallback.callback.CallbackService;
import org.opencallback.callback.StateReports;
import org.opencallback.callback.admission.AdmissionConfigCheck;
import org.opencallback.callback.admission.Availability;
import org.opencallback.callback.admission.CustomerNumbers;
import org.opencallback.callback.admission.IdGenerator;
import org.opencallback.callback.admission.PhoneCustomerNumbers;
import org.opencallback.callback.admission.ServiceCalendars;
import org.opencallback.cluster.ClusterMembership;
import org.opencallback.cluster.ClusterSettings;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigHolder;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.ConfigWatcher;
import org.opencallback.config.IgnoredOptions;
import org.opencallback.engine.ServiceEngines;
import org.opencallback.config.Configuration;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.engine.EngineRegistry;
import org.opencallback.engine.builtin.BuiltinEngine;
import org.opencallback.engine.builtin.EngineTimers;
import org.opencallback.engine.builtin.BuiltinEngineConfigCheck;
import org.opencallback.engine.builtin.SharedQueues;
import org.opencallback.engine.builtin.SimulatedDialer;
import org.opencallback.engine.StatisticsEwt;
import org.opencallback.engine.ors.OrsEngine;
import org.opencallback.engine.webhook.WebhookEngine;
import org.opencallback.http.AdminRoutes;
import org.opencallback.http.AgentRoutes;
import org.opencallback.http.EventStreamHub;
import org.opencallback.outbound.OutboundGuard;
import org.opencallback.outbound.OutboundHttp;
import org.opencallback.http.Authentication;
import org.opencallback.http.AvailabilityRoutes;
import org.opencallback.http.CallbackRoutes;
import org.opencallback.http.Cors;
import org.opencallback.http.HttpServer;
import org.opencallback.http.MetricsRoutes;
import org.opencallback.http.NotificationRoutes;
import org.opencallback.http.PauseRoutes;
import org.opencallback.http.PhoneNumberRoutes;
import org.opencallback.http.RequestLog;
import org.opencallback.http.UiRoutes;
import org.opencallback.notify.EventStreams;
import org.opencallback.notify.MessageFiles;
import org.opencallback.notify.Notifier;
import org.opencallback.observability.CallbackLog;
import org.opencallback.observability.CallbackMetrics;
import org.opencallback.observability.LogFormat;
import org.opencallback.observability.Metrics;
import org.opencallback.observability.ReportingEvents;
import org.opencallback.observability.WebhookSender;
import org.opencallback.phone.PhoneNumbers;
import org.opencallback.scheduling.Dispatcher;
import org.opencallback.scheduling.Housekeeper;
import org.opencallback.scheduling.ServicePauses;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.Database;
import org.opencallback.store.GracefulStop;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.store.JdbcServicePauseStore;
import org.opencallback.store.NodeStore;
import org.opencallback.store.NotificationListener;
import org.opencallback.store.WaitingStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring, by hand: the only place that names concrete classes. {@link Server#start} runs the
 * steps below in their order; each step reads only what the steps before it built, and each field is
 * written once, by its step. Not thread-safe: used by one start alone.
 */
final class Assembly {
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
      org.opencallback.http.Tls.CHECK.validate(configuration);
      ServiceEngines.CHECK.validate(configuration);
    };
  }

  private final Settings settings;
  private final Clock clock;
  // loadConfiguration
  private Path configFile;
  private ServiceCalendars calendars;
  private ConfigValidator validator;
  private Configuration configuration;
  private ConfigHolder holder;
  // openDatabase
  private String url;
  private ClusterSettings clusterSettings;
  private Database database;
  private ObjectMapper json;
  private JdbcCallbackStore jdbcStore;
  private CallbackStore store;
  // joinCluster: membership is null outside a cluster
  private NodeStore nodeStore;
  private ClusterMembership membership;
  private ScheduledExecutorService clusterTimer;
  // buildObservability
  private CallbackListeners listeners;
  private Metrics metrics;
  private WebhookSender webhook;
  // buildEngines
  private StateReports reporter;
  private EventStreamHub eventStreams;
  private OutboundHttp outbound;
  private OutboundGuard outboundGuard;
  private ScheduledExecutorService timers;
  private AtomicInteger listening;
  private ServicePauses pauses;
  private BuiltinEngine builtin;
  private EngineRegistry engines;
  private Dispatcher dispatcher;
  private EventStreams notificationStreams;
  private Notifier notifier;
  private ChangesOffThread notifications;
  // buildServices
  private PhoneNumbers phones;
  private CustomerNumbers numbers;
  private CallbackService callbacks;
  private CallbackQueries queries;
  private AdminService admin;
  // buildApi
  private HttpServer http;

  Assembly(Settings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** The file given, else ./opencallback.yaml, else the bundled demo; validated by every feature. */
  void loadConfiguration() throws UsageException {
    configFile = settings.config();
    if (configFile == null && Files.isRegularFile(Path.of("opencallback.yaml"))) {
      configFile = Path.of("opencallback.yaml");
    }
    calendars = new ServiceCalendars();
    validator = validator(calendars);
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
    IgnoredOptions.warn(configuration);
    ServiceEngines.log(configuration);
    holder = new ConfigHolder(configuration);
    if (LogFormat.apply(configuration.server().get(LogFormat.OPTION).orElse(null))) {
      LOG.info("Logging as JSON ([server] {})", LogFormat.OPTION);
    }
  }

  /** The database given, else the embedded one in the data directory; the callback store on it. */
  void openDatabase() throws UsageException {
    url = settings.dbUrl();
    if (url == null) {
      try {
        Files.createDirectories(settings.dataDir());
      } catch (Exception e) {
        throw new UsageException("cannot create data directory " + settings.dataDir() + ": " + e.getMessage());
      }
      EmbeddedStoreChoice choice = EmbeddedStoreChoice.of(settings.dataDir(), null);
      if (choice.notice() != null) {
        LOG.warn(choice.notice());
      }
      url = choice.url();
    }
    // [cluster] and [database] are read at start; a reload does not change them
    clusterSettings = ClusterSettings.of(configuration);
    try {
      database = Database.open(url, settings.dbUser(), settings.dbPassword(), clusterSettings.poolSize(),
          "full".equalsIgnoreCase(configuration.database().get(Database.SQLITE_SYNCHRONOUS).orElse("normal"))
              ? Database.Sync.FULL : Database.Sync.NORMAL);
    } catch (RuntimeException e) {
      throw new UsageException(e.getMessage());
    }
    json = new ObjectMapper();
    jdbcStore = new JdbcCallbackStore(database, json);
    store = jdbcStore;
  }

  /** Cluster mode (docs/cluster.md): on PostgreSQL every node has a lease and owns what it holds. */
  void joinCluster() throws UsageException {
    nodeStore = new NodeStore(database.dataSource());
    if (!database.isPostgres()) {
      return;
    }
    jdbcStore.ownedBy(settings.nodeId());
    membership = new ClusterMembership(nodeStore, settings.nodeId(), clusterSettings.lease(),
        clusterSettings.heartbeat());
    LOG.info("Cluster mode as node {}: lease {} ms, heartbeat {} ms", settings.nodeId(),
        clusterSettings.lease().toMillis(), clusterSettings.heartbeat().toMillis());
    // heartbeats from the join on: the rest of the start (recovery included) may outlast a lease.
    // Bound: three periodic tasks (heartbeat, take-over, fence hand-over once)
    clusterTimer = Executors.newSingleThreadScheduledExecutor(Server.daemon("cluster-lease"));
    try {
      membership.join(clusterTimer);
    } catch (IllegalStateException e) {
      clusterTimer.shutdownNow();
      database.close();
      throw new UsageException(e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      clusterTimer.shutdownNow();
      database.close();
      throw new UsageException("interrupted while joining the cluster");
    }
  }

  /** Metrics, the callback log and reporting events: the first listeners of every stored change. */
  void buildObservability() {
    phones = new PhoneNumbers();
    numbers = new PhoneCustomerNumbers(phones);
    listeners = new CallbackListeners();
    metrics = new Metrics();
    CallbackMetrics callbackMetrics = new CallbackMetrics(metrics.registry(), holder, store, clock);
    metrics.beforeScrape(callbackMetrics::refreshGauges);
    ServerMeters.store(metrics, jdbcStore);
    webhook = new WebhookSender(
        () -> holder.get().server().get(WEBHOOK_OPTION).orElse(null), metrics.registry());
    listeners.add(new CallbackLog(holder)).add(callbackMetrics).add(new ReportingEvents(json, clock, webhook, holder));
  }

  /** The execution engines, the dispatcher that hands callbacks to them, and customer notifications. */
  void buildEngines() {
    // the one port engines report states through: it stores them and tells the listeners
    reporter = new StateReports(store, clock, listeners);
    // engines' reports carry this node as owner: a fencing token in a cluster (docs/cluster.md)
    CallbackReporter engineReports = reporter.asOwner();
    // one timer pool for every per-callback deadline; cancelled timers leave it at once (EngineTimers)
    java.util.concurrent.ScheduledThreadPoolExecutor engineTimers = EngineTimers.create(2, Server.daemon("engine-timer"));
    io.micrometer.core.instrument.Gauge.builder("opencallback_engine_timer_tasks", engineTimers, EngineTimers::tasks)
        .description("Timers waiting in the engines' timer pool (callbacks still held, and periodic tasks)")
        .register(metrics.registry());
    timers = engineTimers;
    // this server's base URL as engines and receivers reach it: [server] public-url
    listening = new AtomicInteger(settings.port());
    // default https:// when Jetty serves TLS ([server] tls-*, read at start like the connector)
    String scheme = org.opencallback.http.Tls.of(holder.get()).isPresent() ? "https" : "http";
    Supplier<String> publicUrl = () -> holder.get().server().get("public-url").map(String::trim)
        .filter(base -> !base.isEmpty()).orElseGet(() -> scheme + "://localhost:" + listening.get());
    pauses = new ServicePauses(holder, new JdbcServicePauseStore(database.dataSource(), database.readDataSource(), clock));
    pauses.refresh();
    // calls to URLs a request chose (_ors overwrite, httpcb): allow-list and address rules (docs/security.md)
    outboundGuard = new OutboundGuard(new OutboundPolicies(holder), java.net.InetAddress::getAllByName);
    outbound = new OutboundHttp(outboundGuard);
    // cluster mode: one queue across the nodes, in the database (docs/cluster.md)
    SharedQueues shared = membership == null ? null
        : SharedQueues.inDatabase(new WaitingStore(database.dataSource(), settings.nodeId()), store, json);
    builtin = new BuiltinEngine(
        holder, engineReports, clock, timers, new SimulatedDialer(holder, timers), pauses::isPaused, shared);
    // the EWT of ORS and webhook services: the operator's statistics URL, _ewt_url (docs/decisions.md)
    StatisticsEwt statistics = new StatisticsEwt(holder, clock, json);
    engines = new EngineRegistry(Map.of(
        EngineRegistry.BUILTIN, builtin,
        EngineRegistry.WEBHOOK, new WebhookEngine(holder, engineReports, clock, publicUrl, json, statistics, outbound),
        EngineRegistry.ORS, new OrsEngine(holder, engineReports, store::find, publicUrl, json, statistics, outbound)));
    dispatcher = new Dispatcher(holder, store, engines, engineReports, clock, 4, pauses);
    listeners.add(dispatcher);
    if (membership != null) {
      dispatcher.recoverOnlyOwned(() -> nodeStore.adopt(settings.nodeId(), false));
      dispatcher.loadEvery(CLUSTER_LOAD_EVERY);
    }
    ServerMeters.dispatch(metrics, dispatcher);
    ServerMeters.engines(metrics, holder, builtin, engines);
    notificationStreams = new EventStreams();
    notifier = new Notifier(holder, engineReports, store, clock, new MessageFiles(json, outbound),
        notificationStreams, json, timers, outbound);
    // notifications write to sockets: changes reach them off the reporting engine's thread
    notifications = new ChangesOffThread(notifier, "notification-changes", metrics.registry());
    listeners.add(notifications);
    notifier.start();
  }

  /** Why the outbound policy refuses a URL a request chose, judged without DNS at admission. */
  private Optional<String> outboundRefusal(String url) {
    try {
      outboundGuard.checkWithoutLookup(url);
      return Optional.empty();
    } catch (org.opencallback.outbound.OutboundRefused refused) {
      return Optional.of(refused.getMessage());
    }
  }

  /** The application services the API calls: callbacks, their queries, the admin operations. */
  void buildServices() {
    callbacks = new CallbackService(
        holder, store, clock, new IdGenerator(IdGenerator.nodeNumber(settings.nodeId())),
        dispatcher::ewt, listeners, numbers, calendars, dispatcher, this::outboundRefusal);
    queries = new CallbackQueries(holder, store, numbers);
  }

  /** The HTTP API: its routes in the order they are matched. */
  void buildApi() {
    AvailabilityRoutes availability =
        new AvailabilityRoutes(new Availability(holder, store, calendars, clock), json, clock);
    admin = new AdminService(holder, store, callbacks, numbers, clock);
    // event streams written off the engine's threads, bounded (docs/reliability.md)
    eventStreams = EventStreamHub.of(holder.get().server(), metrics.registry());
    http = new HttpServer(settings.host(), settings.port(), json, List.of(
        new Cors(holder),
        new Authentication(holder, json, clock, metrics.registry()),
        new MetricsRoutes(metrics),
        new org.opencallback.http.OpenApiRoutes(json),
        new AdminRoutes(admin, queries, json),
        availability,
        new CallbackRoutes(callbacks, queries, json),
        new PhoneNumberRoutes(phones, json),
        new AgentRoutes(builtin, json, eventStreams),
        new NotificationRoutes(callbacks, notificationStreams, json, eventStreams),
        new PauseRoutes(holder, callbacks, pauses, json),
        availability.builtinServices(),
        new UiRoutes(holder, store, json, clock)), new RequestLog(metrics.registry()),
        configuration.server().integer(HttpServer.MAX_CONCURRENT_REQUESTS, HttpServer.DEFAULT_MAX_CONCURRENT_REQUESTS),
        org.opencallback.http.Tls.of(configuration).orElse(null)); // [server] tls-*: HTTPS, read at start
  }

  /** Listens, then starts dispatching; a port that cannot be bound closes everything built. */
  void listen() throws UsageException {
    try {
      http.start();
      listening.set(http.port());
      dispatcher.start();
      http.ready(); // ready means recovered: dispatcher.start() recovers first
    } catch (RuntimeException e) {
      try {
        http.stop();
      } catch (RuntimeException ignored) {
        // it did not start
      }
      dispatcher.close();
      notifications.close();
      engines.close();
      timers.shutdownNow();
      webhook.close();
      outbound.close();
      if (membership != null) {
        clusterTimer.shutdownNow();
        membership.close(); // gives the lease up
      }
      database.close();
      throw new UsageException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + Server.rootMessage(e));
    }
  }

  /** Hot reload, housekeeping, pause refresh and, in a cluster, the lease and engine notifications. */
  Server startBackground() {
    ConfigValidator removal = new ServiceRemovalCheck(holder::get, store);
    ConfigValidator onReload = next -> {
      validator.validate(next);
      removal.validate(next);
    };
    ConfigWatcher watcher = configFile == null ? null : new ConfigWatcher(configFile, holder, CONFIG_POLL, onReload,
        next -> {
          ServiceEngines.log(next);
          dispatcher.configurationApplied();
        });
    // Bound: two periodic tasks (housekeeping, pause refresh)
    ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(Server.daemon("housekeeping"));
    Housekeeper housekeeper = new Housekeeper(store, reporter, clock);
    background.scheduleWithFixedDelay(housekeeper::runOnce, 5, HOUSEKEEPING.toSeconds(), TimeUnit.SECONDS);
    background.scheduleWithFixedDelay(pauses::refresh, 1, PAUSE_REFRESH.toMillis(), TimeUnit.MILLISECONDS);
    // closed in this order when the server stops
    List<AutoCloseable> execution = new java.util.ArrayList<>(
        List.of(dispatcher, notifications, notifier, engines, () -> GracefulStop.stop(timers, GracefulStop.BOUND), webhook,
            eventStreams, outbound));
    if (membership != null) {
      // engines hear of each other through LISTEN/NOTIFY: cancels, claims, callbacks entering queues
      NotificationListener listener = new NotificationListener(url, settings.dbUser(), settings.dbPassword(),
          WaitingStore.CHANNEL, builtin::notified, builtin::resync).start();
      execution.add(0, listener);
      ScheduledExecutorService cluster = clusterTimer;
      // fenced (its lease may be taken over): the engines stop at once, and resume with what it still owns
      membership.start(cluster, dispatcher,
          new NodeFence(builtin, dispatcher, nodeStore, store, engines, holder, settings.nodeId()));
      execution.add(0, cluster::shutdownNow);
      execution.add(membership);
    }
    Server server = new Server(database, http, watcher, background, settings.host(), store,
        execution, metrics);
    LOG.info(http.secure() ? "OpenCallback listening on https://{}:{}" : "OpenCallback listening on http://{}:{}",
        settings.host(), http.port());
    return server;
  }
}

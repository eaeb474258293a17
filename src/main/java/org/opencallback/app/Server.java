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
import java.util.concurrent.atomic.AtomicReference;
import org.opencallback.admission.CallbackQueries;
import org.opencallback.admission.AdmissionConfigCheck;
import org.opencallback.admission.Availability;
import org.opencallback.admission.CallbackService;
import org.opencallback.admission.CustomerNumbers;
import org.opencallback.admission.PhoneCustomerNumbers;
import org.opencallback.admission.ServiceCalendars;
import org.opencallback.phone.PhoneNumbers;
import org.opencallback.admission.IdGenerator;
import org.opencallback.config.ConfigException;
import org.opencallback.config.ConfigHolder;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.ConfigValidator;
import org.opencallback.config.ConfigWatcher;
import org.opencallback.config.Configuration;
import org.opencallback.dispatch.CallbackReporter;
import org.opencallback.dispatch.Dispatcher;
import org.opencallback.dispatch.EngineRegistry;
import org.opencallback.dispatch.Housekeeper;
import org.opencallback.engine.builtin.BuiltinEngine;
import org.opencallback.engine.builtin.BuiltinEngineConfigCheck;
import org.opencallback.http.AgentRoutes;
import org.opencallback.http.AvailabilityRoutes;
import org.opencallback.http.CallbackRoutes;
import org.opencallback.http.HttpServer;
import org.opencallback.http.PhoneNumberRoutes;
import org.opencallback.http.UiRoutes;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.Database;
import org.opencallback.store.Dialect;
import org.opencallback.store.JdbcCallbackStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wires the server by hand: the only place that names concrete classes. */
public final class Server implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Server.class);
  static final Duration CONFIG_POLL = Duration.ofSeconds(1);
  static final Duration HOUSEKEEPING = Duration.ofSeconds(30);
  /** Every feature's load-time checks of the configuration. */
  static ConfigValidator validator(ServiceCalendars calendars) {
    AdmissionConfigCheck admission = new AdmissionConfigCheck();
    BuiltinEngineConfigCheck engine = new BuiltinEngineConfigCheck();
    return configuration -> {
      admission.validate(configuration);
      engine.validate(configuration);
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

  private Server(Database database, HttpServer http, ConfigWatcher watcher,
      ScheduledExecutorService background, String host, CallbackStore store, List<AutoCloseable> execution) {
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

    String url = settings.dbUrl();
    if (url == null) {
      try {
        Files.createDirectories(settings.dataDir());
      } catch (Exception e) {
        throw new UsageException("cannot create data directory " + settings.dataDir() + ": " + e.getMessage());
      }
      url = Database.embeddedUrl(settings.dataDir());
    }
    Database database;
    try {
      database = Database.open(url, settings.dbUser(), settings.dbPassword(), 10);
    } catch (RuntimeException e) {
      throw new UsageException(e.getMessage());
    }

    ObjectMapper json = new ObjectMapper();
    CallbackStore store = new JdbcCallbackStore(
        database.dataSource(), json, database.isPostgres() ? Dialect.POSTGRESQL : Dialect.H2);
    PhoneNumbers phones = new PhoneNumbers();
    CustomerNumbers numbers = new PhoneCustomerNumbers(phones);
    CallbackListeners listeners = new CallbackListeners();
    // the engines report through the callback service, which is built after them
    AtomicReference<CallbackService> service = new AtomicReference<>();
    CallbackReporter reporter = (id, state, reason, properties) -> service.get().report(id, state, reason, properties);
    ScheduledExecutorService timers = Executors.newScheduledThreadPool(2, daemon("engine-timer"));
    // built-in engine
    BuiltinEngine builtin = new BuiltinEngine(holder, reporter, clock, timers);
    EngineRegistry engines = new EngineRegistry(Map.of(EngineRegistry.BUILTIN, builtin));
    Dispatcher dispatcher = new Dispatcher(holder, store, engines, reporter, clock, 2);
    listeners.add(dispatcher);
    CallbackService callbacks = new CallbackService(
        holder, store, clock, new IdGenerator(IdGenerator.nodeNumber(settings.nodeId())),
        dispatcher::ewt, listeners, numbers, calendars, dispatcher);
    service.set(callbacks);
    CallbackQueries queries = new CallbackQueries(holder, store, numbers);

    AvailabilityRoutes availability =
        new AvailabilityRoutes(new Availability(holder, store, calendars, clock), json, clock);
    HttpServer http = new HttpServer(settings.host(), settings.port(), json, List.of(
        availability,
        new CallbackRoutes(callbacks, queries, json),
        new PhoneNumberRoutes(phones, json),
        new AgentRoutes(builtin, json),
        availability.builtinServices(),
        new UiRoutes(holder, store, json, clock)));
    try {
      dispatcher.start();
      http.start();
    } catch (RuntimeException e) {
      dispatcher.close();
      engines.close();
      timers.shutdownNow();
      database.close();
      throw new UsageException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + rootMessage(e));
    }
    ConfigWatcher watcher = configFile == null ? null : new ConfigWatcher(configFile, holder, CONFIG_POLL, validator);
    ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(daemon("housekeeping"));
    Housekeeper housekeeper = new Housekeeper(store, callbacks, clock);
    background.scheduleWithFixedDelay(housekeeper::runOnce, 5, HOUSEKEEPING.toSeconds(), TimeUnit.SECONDS);
    Server server = new Server(database, http, watcher, background, settings.host(), store,
        List.of(dispatcher, engines, timers::shutdownNow));
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

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return runnable -> {
      Thread thread = new Thread(runnable, name);
      thread.setDaemon(true);
      return thread;
    };
  }
}

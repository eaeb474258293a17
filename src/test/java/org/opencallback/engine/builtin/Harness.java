package org.opencallback.engine.builtin;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;
import org.opencallback.config.OptionScope;
import org.opencallback.config.OptionValues;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;

/** A built-in engine on real timers with an in-memory reporter, and helpers to drive it. */
final class Harness implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(5);
  private static final AtomicInteger IDS = new AtomicInteger();

  final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
  final MemoryReporter reporter = new MemoryReporter();
  final AtomicReference<Configuration> config = new AtomicReference<>();
  final Clock clock;
  final BuiltinEngine engine;

  /** Engine section YAML lines, e.g. {@code "agents: 1", "talk_time: 50ms"}. */
  Harness(String... engineLines) {
    this(Clock.systemUTC(), null, engineLines);
  }

  Harness(Clock clock, Dialer dialer, String... engineLines) {
    this.clock = clock;
    configure(engineLines);
    this.engine = dialer == null
        ? new BuiltinEngine(config::get, reporter, clock, timers)
        : new BuiltinEngine(config::get, reporter, clock, timers, dialer);
  }

  /** Loads a new engine section (a hot reload). */
  void configure(String... engineLines) {
    StringBuilder yaml = new StringBuilder("engine:\n");
    String given = String.join("\n", engineLines);
    if (!given.contains("ring_time:")) {
      yaml.append("  ring_time: 10ms\n");
    }
    if (!given.contains("talk_time:")) {
      yaml.append("  talk_time: 50ms\n");
    }
    for (String line : engineLines) {
      yaml.append("  ").append(line).append('\n');
    }
    try {
      Configuration configuration = Configuration.from(
          ConfigLoader.parse(yaml.toString().getBytes(StandardCharsets.UTF_8), "test.yaml", "test"), "test");
      new BuiltinEngineConfigCheck().validate(configuration);
      config.set(configuration);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A service with options given as name, value pairs (not validated, so {@code 100ms} works for times). */
  static ServiceConfig service(String name, String... options) {
    Map<String, String> values = new LinkedHashMap<>();
    for (int i = 0; i < options.length; i += 2) {
      values.put(options[i], options[i + 1]);
    }
    return new ServiceConfig(name, new OptionValues("service." + name, OptionScope.SERVICE, values, null));
  }

  /** A new QUEUED callback handed to the engine. */
  Callback submit(ServiceConfig service, String number, Object... properties) {
    Callback callback = callback(service, number, Duration.ofDays(1), properties);
    engine.submit(callback, service);
    return callback;
  }

  Callback callback(ServiceConfig service, String number, Duration ttl, Object... properties) {
    Map<String, Object> props = new LinkedHashMap<>();
    for (int i = 0; i < properties.length; i += 2) {
      props.put(String.valueOf(properties[i]), properties[i + 1]);
    }
    Instant now = clock.instant();
    Callback callback = new Callback(
        IDS.incrementAndGet() + "-test", service.name(), CallbackState.QUEUED, null, number, now, now,
        now.plus(ttl), null, props, Map.of(), true, 1, now);
    reporter.add(callback);
    return callback;
  }

  void awaitState(Callback callback, CallbackState state) {
    await().atMost(WAIT).until(() -> reporter.state(callback.id()) == state);
  }

  /** Waits for COMPLETED and checks the reason. */
  void awaitCompleted(Callback callback, String reason) {
    awaitState(callback, CallbackState.COMPLETED);
    org.assertj.core.api.Assertions.assertThat(reporter.get(callback.id()).reason()).isEqualTo(reason);
  }

  AgentView agent(String id) {
    return engine.agent(id);
  }

  void awaitAgent(String id, AgentState state) {
    await().atMost(WAIT).until(() -> engine.agent(id).state() == state);
  }

  /** A real agent, logged in and ready, whose events are collected. */
  Events realAgent(String id, String... services) {
    engine.login(id, id, List.of(services));
    Events events = new Events();
    engine.subscribe(id, events.received::add);
    engine.ready(id);
    return events;
  }

  @Override
  public void close() {
    engine.close();
    timers.shutdownNow();
  }

  /** Events an agent received. */
  static final class Events {
    final List<AgentEvent> received = new CopyOnWriteArrayList<>();

    /** Waits for the next event of this type after {@code skip} of them, and returns it. */
    AgentEvent await(String type, int skip) {
      AtomicReference<AgentEvent> found = new AtomicReference<>();
      org.awaitility.Awaitility.await().atMost(WAIT).until(() -> {
        List<AgentEvent> ofType = new ArrayList<>();
        for (AgentEvent event : received) {
          if (event.type().equals(type)) {
            ofType.add(event);
          }
        }
        if (ofType.size() > skip) {
          found.set(ofType.get(skip));
          return true;
        }
        return false;
      });
      return found.get();
    }

    AgentEvent await(String type) {
      return await(type, 0);
    }

    long count(String type) {
      return received.stream().filter(event -> event.type().equals(type)).count();
    }
  }
}

package org.opencallback.scheduling;

import org.opencallback.engine.EngineRegistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencallback.callback.CallbackService;
import org.opencallback.callback.StateReports;
import org.opencallback.callback.admission.CustomerNumbers;
import org.opencallback.callback.admission.IdGenerator;
import org.opencallback.callback.admission.ServiceCalendars;
import org.opencallback.config.ConfigHolder;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.Times;
import org.opencallback.store.Database;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.EmbeddedStore;

/** Runs on each embedded store: H2 and SQLite. */
@ParameterizedClass
@EnumSource(EmbeddedStore.class)
class DispatcherTest {
  private static final Instant T = Instant.parse("2026-03-10T12:00:00Z");

  private final MutableClock clock = new MutableClock(T);
  private final Database database;
  private final JdbcCallbackStore store;
  private final RecordingEngine engine = new RecordingEngine();
  private final ConfigHolder config = new ConfigHolder(parse(
      "service.S:\n  _request_execution_time_buffer: 120\n  _enable_in_queue_checking: false\n"
          + "  _throttle_request_parameters_limit: 100000\n  _max_request_by_time_bucket: 100000\n"));
  private final List<Dispatcher> dispatchers = new ArrayList<>();
  private CallbackService callbacks;
  private StateReports reports;

  private static Configuration parse(String yaml) {
    try {
      return Configuration.from(ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "t.yaml", "t"), "t");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Dispatcher dispatcher() {
    Dispatcher dispatcher = new Dispatcher(config, store, new EngineRegistry(Map.of(EngineRegistry.BUILTIN, engine)),
        (id, state, reason, props) -> reports.report(id, state, reason, props), clock, 2);
    dispatchers.add(dispatcher);
    return dispatcher;
  }

  private CallbackService callbacks(Dispatcher dispatcher) {
    callbacks = new CallbackService(config, store, clock, new IdGenerator(1), dispatcher::ewt, dispatcher,
        CustomerNumbers.AS_GIVEN, new ServiceCalendars(), dispatcher, url -> java.util.Optional.empty());
    reports = new StateReports(store, clock, dispatcher);
    return callbacks;
  }

  DispatcherTest(EmbeddedStore kind) {
    database = kind.open();
    store = new JdbcCallbackStore(database, new ObjectMapper());
  }

  @AfterEach
  void close() {
    dispatchers.forEach(Dispatcher::close);
    database.close();
  }

  private Callback schedule(Instant desired, int number) {
    return callbacks.start("S", Map.of("_customer_number", "555" + number, "_desired_time", Times.format(desired)))
        .callback();
  }

  @Test
  void a_scheduled_callback_is_handed_over_exactly_at_its_due_time() {
    Dispatcher dispatcher = dispatcher();
    callbacks(dispatcher);
    dispatcher.load();
    Callback callback = schedule(T.plusSeconds(300), 1);
    assertThat(callback.dueTime()).isEqualTo(T.plusSeconds(180));

    clock.set(T.plusSeconds(180).minusMillis(1));
    assertThat(dispatcher.runDue()).isZero();
    clock.set(T.plusSeconds(180));
    assertThat(dispatcher.runDue()).isEqualTo(1);

    // handed over in the background, from the engine's own pool
    await().atMost(Duration.ofSeconds(5)).until(() -> !engine.submitted.isEmpty());
    assertThat(engine.submitted).extracting(Callback::id).containsExactly(callback.id());
    assertThat(store.find(callback.id()).orElseThrow().state()).isEqualTo(CallbackState.QUEUED);
    assertThat(store.history(callback.id())).extracting(h -> h.source()).containsExactly("api", "dispatch");
  }

  @Test
  void callbacks_beyond_the_horizon_are_loaded_when_they_come_near() {
    Dispatcher dispatcher = dispatcher();
    callbacks(dispatcher);
    Callback far = schedule(T.plus(Duration.ofHours(2)), 1);
    dispatcher.load();
    assertThat(dispatcher.pending()).isZero();

    clock.set(far.dueTime().minus(Duration.ofMinutes(5)));
    dispatcher.load();
    assertThat(dispatcher.pending()).isEqualTo(1);
    clock.set(far.dueTime());
    assertThat(dispatcher.runDue()).isEqualTo(1);
  }

  @Test
  void a_rescheduled_callback_moves_in_the_timer_and_a_cancelled_one_leaves_it() {
    Dispatcher dispatcher = dispatcher();
    callbacks(dispatcher);
    dispatcher.load();
    Callback moved = schedule(T.plusSeconds(300), 1);
    Callback cancelled = schedule(T.plusSeconds(300), 2);
    callbacks.update("S", moved.id(), Map.of("_new_desired_time", Times.format(T.plusSeconds(400))));
    callbacks.cancel("S", cancelled.id(), "CANCELLED", "api");

    clock.set(T.plusSeconds(180));
    assertThat(dispatcher.runDue()).isZero();
    clock.set(T.plusSeconds(280));
    assertThat(dispatcher.runDue()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> !engine.submitted.isEmpty());
    assertThat(engine.submitted).extracting(Callback::id).containsExactly(moved.id());
  }

  @Test
  void many_dispatchers_racing_hand_each_callback_over_exactly_once() throws Exception {
    Dispatcher first = dispatcher();
    callbacks(first);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      ids.add(schedule(T.plusSeconds(200 + i % 7), i).id());
    }
    List<Dispatcher> racing = List.of(first, dispatcher(), dispatcher(), dispatcher());
    racing.forEach(Dispatcher::load);
    clock.set(T.plusSeconds(600));

    ExecutorService pool = Executors.newFixedThreadPool(4);
    List<Callable<Integer>> passes = new ArrayList<>();
    racing.forEach(d -> passes.add(d::runDue));
    int claimed = 0;
    for (Future<Integer> result : pool.invokeAll(passes)) {
      claimed += result.get();
    }
    pool.shutdown();

    assertThat(claimed).isEqualTo(300);
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.submitted.size() >= 300);
    assertThat(engine.submitted).extracting(Callback::id).containsExactlyInAnyOrderElementsOf(ids);
  }

  @Test
  void after_a_restart_overdue_callbacks_are_dispatched_and_handed_over_ones_recovered() {
    Dispatcher before = dispatcher();
    callbacks(before);
    Callback overdue = schedule(T.plusSeconds(300), 1);
    Callback running = callbacks.start("S", Map.of("_customer_number", "5559")).callback();
    before.close();
    engine.submitted.clear();

    clock.set(T.plus(Duration.ofHours(1)));
    Dispatcher after = dispatcher();
    callbacks(after);
    after.start();

    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5))
        .until(() -> engine.submitted.stream().anyMatch(c -> c.id().equals(overdue.id())));
    assertThat(engine.recovered).extracting(Callback::id).contains(running.id());
  }

  @Test
  void ewt_counts_only_when_the_service_asks_for_it() {
    Dispatcher dispatcher = dispatcher();
    callbacks(dispatcher);
    var service = config.get().service("S").orElseThrow();

    assertThat(dispatcher.ewt(service, Map.of())).isZero();
    assertThat(dispatcher.ewt(service, Map.of("_request_queue_time_stat", "ExpectedWaitTime;Queue;8999@SIP;Env")))
        .isEqualTo(Duration.ofSeconds(42));
  }
}

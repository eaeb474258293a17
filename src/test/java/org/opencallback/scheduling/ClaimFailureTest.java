package org.opencallback.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
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
import org.opencallback.engine.EngineRegistry;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.Database;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestDatabase;

/**
 * Issue 16: the dispatcher keeps what it could not claim. A store wrapper fails claims on demand
 * (a database blip) or answers a load with rows read before a reschedule (a load racing it).
 */
class ClaimFailureTest {
  private static final Instant T = Instant.parse("2026-03-10T12:00:00Z");

  private final MutableClock clock = new MutableClock(T);
  private final Database database = TestDatabase.h2();
  private final JdbcCallbackStore real = new JdbcCallbackStore(database.dataSource(), new ObjectMapper());
  private final AtomicBoolean claimsFail = new AtomicBoolean();
  private final AtomicReference<List<CallbackStore.Due>> staleLoad = new AtomicReference<>();
  private final CallbackStore store = blinking(real);
  private final RecordingEngine engine = new RecordingEngine();
  private final ConfigHolder config = new ConfigHolder(parse(
      "service.S:\n  _request_execution_time_buffer: 120\n  _enable_in_queue_checking: false\n"));
  private final List<Dispatcher> dispatchers = new ArrayList<>();
  private CallbackService callbacks;
  private StateReports reports;

  private CallbackStore blinking(CallbackStore delegate) {
    return (CallbackStore) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {CallbackStore.class},
        (proxy, method, args) -> {
          if (method.getName().equals("claimDue") && claimsFail.get()) {
            throw new IllegalStateException("database unreachable (test)");
          }
          if (method.getName().equals("scheduledDue") && staleLoad.get() != null) {
            return staleLoad.getAndSet(null);
          }
          try {
            return method.invoke(delegate, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

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

  private void listenWith(Dispatcher dispatcher) {
    callbacks = new CallbackService(config, store, clock, new IdGenerator(1), dispatcher::ewt, dispatcher,
        CustomerNumbers.AS_GIVEN, new ServiceCalendars(), dispatcher, url -> java.util.Optional.empty());
    reports = new StateReports(store, clock, dispatcher);
  }

  private Callback schedule(Instant desired) {
    return callbacks.start("S", Map.of("_customer_number", "5551", "_desired_time", Times.format(desired))).callback();
  }

  @AfterEach
  void close() {
    dispatchers.forEach(Dispatcher::close);
    database.close();
  }

  @Test
  void a_failed_claim_puts_its_entries_back_and_they_are_claimed_after_a_short_back_off() {
    Dispatcher dispatcher = dispatcher();
    listenWith(dispatcher);
    dispatcher.load();
    Callback callback = schedule(T.plusSeconds(300));
    Instant due = callback.dueTime();

    claimsFail.set(true);
    clock.set(due);
    assertThat(dispatcher.runDue()).isZero();
    assertThat(dispatcher.dueInTimer(callback.id())).contains(due.plus(Dispatcher.CLAIM_BACKOFF.base()));

    claimsFail.set(false);
    assertThat(dispatcher.runDue()).as("still backing off").isZero();
    clock.set(due.plus(Dispatcher.CLAIM_BACKOFF.base()));
    assertThat(dispatcher.runDue()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> !engine.submitted.isEmpty());
    assertThat(engine.submitted).extracting(Callback::id).containsExactly(callback.id());
  }

  @Test
  void claims_failing_in_a_row_back_off_longer_each_time() {
    Dispatcher dispatcher = dispatcher();
    listenWith(dispatcher);
    dispatcher.load();
    Callback callback = schedule(T.plusSeconds(300));

    claimsFail.set(true);
    clock.set(callback.dueTime());
    dispatcher.runDue();
    Instant first = dispatcher.dueInTimer(callback.id()).orElseThrow();
    clock.set(first);
    dispatcher.runDue();
    assertThat(dispatcher.dueInTimer(callback.id())).contains(first.plus(Dispatcher.CLAIM_BACKOFF.delayAfter(2)));
    assertThat(store.find(callback.id()).orElseThrow().state()).isEqualTo(CallbackState.SCHEDULED);
  }

  @Test
  void a_load_racing_a_reschedule_never_puts_back_the_older_due_time() {
    Dispatcher dispatcher = dispatcher();
    listenWith(dispatcher);
    dispatcher.load();
    Callback callback = schedule(T.plusSeconds(300));
    // the load reads the row now ...
    List<CallbackStore.Due> readBefore = real.scheduledDue(T.minusSeconds(60), T.plusSeconds(600), 100);
    // ... the callback is rescheduled meanwhile (the dispatcher hears it) ...
    Callback moved = callbacks.update("S", callback.id(), Map.of("_new_desired_time", Times.format(T.plusSeconds(480))));
    assertThat(dispatcher.dueInTimer(callback.id())).contains(moved.dueTime());
    // ... and then the load puts what it read into the timer
    staleLoad.set(readBefore);
    dispatcher.load();

    assertThat(dispatcher.dueInTimer(callback.id())).contains(moved.dueTime());
  }

  @Test
  void a_claim_that_misses_rereads_the_row_and_keeps_a_callback_that_moved() {
    Dispatcher listening = dispatcher();
    listenWith(listening);
    Callback callback = schedule(T.plusSeconds(300));
    // a second dispatcher (another node) that loaded the row and never heard of the reschedule
    Dispatcher other = dispatcher();
    other.load();
    Callback moved = callbacks.update("S", callback.id(), Map.of("_new_desired_time", Times.format(T.plusSeconds(480))));

    clock.set(callback.dueTime());
    assertThat(other.runDue()).isZero();

    assertThat(other.dueInTimer(callback.id())).contains(moved.dueTime());
    clock.set(moved.dueTime());
    assertThat(other.runDue()).isEqualTo(1);
  }
}

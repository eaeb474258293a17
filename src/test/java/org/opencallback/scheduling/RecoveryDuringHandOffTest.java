package org.opencallback.scheduling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.engine.EngineRegistry;
import org.opencallback.engine.ExecutionEngine;
import org.opencallback.engine.QueuePosition;
import org.opencallback.store.Database;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestDatabase;

/**
 * Issue 16: start-up recovery never resubmits a callback this process is handing over. The
 * window is made certain: an immediate start's hand-off is held inside the engine while recovery
 * runs, and released only once recovery either left it alone or handed it over a second time.
 */
class RecoveryDuringHandOffTest {
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-10T12:00:00Z"));
  private final Database database = TestDatabase.h2();
  private final JdbcCallbackStore store = new JdbcCallbackStore(database.dataSource(), new ObjectMapper());
  private final HeldEngine engine = new HeldEngine();
  private final ConfigHolder config = new ConfigHolder(parse("service.S:\n  _enable_in_queue_checking: false\n"));
  private Dispatcher dispatcher;
  private CallbackService callbacks;

  /** Like the webhook engine: a callback counts as handed over once the receiver took it. */
  private static final class HeldEngine implements ExecutionEngine {
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger entered = new AtomicInteger();
    final Set<String> delivered = ConcurrentHashMap.newKeySet();

    @Override
    public void submit(Callback callback, ServiceConfig service) {
      entered.incrementAndGet();
      try {
        release.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      delivered.add(callback.id());
    }

    @Override
    public boolean handedOver(Callback callback) {
      return delivered.contains(callback.id());
    }

    @Override
    public void cancel(Callback callback) {}

    @Override
    public void recover(Callback callback, ServiceConfig service) {}

    @Override
    public Optional<QueuePosition> position(String callbackId) {
      return Optional.empty();
    }

    @Override
    public Duration ewt(ServiceConfig service) {
      return Duration.ZERO;
    }

    @Override
    public void close() {}
  }

  private static Configuration parse(String yaml) {
    try {
      return Configuration.from(ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "t.yaml", "t"), "t");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void close() {
    engine.release.countDown();
    dispatcher.close();
    database.close();
  }

  @Test
  void recovery_leaves_a_callback_whose_hand_off_is_in_progress_to_that_hand_off() throws Exception {
    dispatcher = new Dispatcher(config, store, new EngineRegistry(Map.of(EngineRegistry.BUILTIN, engine)),
        (id, state, reason, props) -> new StateReports(store, clock, dispatcher).report(id, state, reason, props), clock, 2);
    callbacks = new CallbackService(config, store, clock, new IdGenerator(1), dispatcher::ewt, dispatcher,
        CustomerNumbers.AS_GIVEN, new ServiceCalendars(), dispatcher, url -> java.util.Optional.empty());
    // an immediate start arrives while the node starts: its hand-off is inside the engine
    CompletableFuture<Callback> start = CompletableFuture.supplyAsync(
        () -> callbacks.start("S", Map.of("_customer_number", "5551")).callback());
    await().atMost(Duration.ofSeconds(10)).until(() -> engine.entered.get() == 1);

    dispatcher.start(); // recovery finds the callback QUEUED without a delivery mark

    // either recovery left it alone, or it handed it over a second time
    await().atMost(Duration.ofSeconds(10))
        .until(() -> dispatcher.recoveryLeftToHandOff() == 1 || engine.entered.get() == 2);
    engine.release.countDown();
    Callback callback = start.get(10, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.handingOver() == 0);

    assertThat(engine.entered).hasValue(1);
    assertThat(dispatcher.recovered()).isTrue();
    assertThat(store.find(callback.id()).orElseThrow().state()).isEqualTo(CallbackState.QUEUED);
  }
}

package org.opencallback.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.domain.Times;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.Database;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.EmbeddedStore;

/** Runs on each embedded store: H2 and SQLite. */
@ParameterizedClass
@EnumSource(EmbeddedStore.class)
class RemindersTest {
  private static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.MILLIS);
  private final Database database;
  private final CallbackStore store;
  private final ScheduledExecutorService timers = Executors.newScheduledThreadPool(2);
  private final List<String> sent = new CopyOnWriteArrayList<>();
  private final Configuration config = parse("service.S:\n  _type: ors\n  _enable_notification_reminder: true\n"
      + "  _notification_reminder_buffer: 300\n");

  RemindersTest(EmbeddedStore kind) {
    database = kind.open();
    store = new JdbcCallbackStore(database, new ObjectMapper());
  }

  @AfterEach
  void close() {
    timers.shutdownNow();
    database.close();
  }

  private static Configuration parse(String yaml) {
    try {
      return Configuration.from(ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "t.yaml", "t"), "t");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Reminders reminders(java.time.Clock clock) {
    return new Reminders(() -> config, store, clock, timers, (callback, service) -> sent.add(callback.id()));
  }

  private Callback scheduled(String id, Instant desired) {
    Callback callback = new Callback(id, "S", CallbackState.SCHEDULED, null, "+16175550100", desired, NOW,
        desired.plusSeconds(3600), desired.minusSeconds(120),
        Map.of("_customer_number", "+16175550100", "_device_os", "httpcb"), Map.of(), false, 1, NOW);
    store.insert(callback, new StateChange(CallbackState.SCHEDULED, null, NOW, "api"));
    return callback;
  }

  @Test
  void only_reminders_due_within_the_horizon_hold_a_timer_and_the_sweep_arms_the_rest_from_the_store() {
    MutableClock clock = new MutableClock(NOW);
    Reminders reminders = reminders(clock);
    Callback far = scheduled("far", NOW.plus(Duration.ofHours(1))); // reminder at +55 min
    reminders.arm(far, config.service("S").orElseThrow());
    assertThat(reminders.armed()).isZero();

    clock.set(NOW.plus(Duration.ofMinutes(40))); // reminder 15 min ahead: still beyond the horizon
    reminders.sweep();
    assertThat(reminders.armed()).isZero();

    clock.set(NOW.plus(Duration.ofMinutes(46))); // 9 min ahead
    reminders.sweep();
    assertThat(reminders.armed()).isEqualTo(1);
    reminders.sweep(); // armed once, however many sweeps
    assertThat(reminders.armed()).isEqualTo(1);
    reminders.close();
  }

  @Test
  void a_reminder_is_sent_once_even_when_two_nodes_or_a_restart_arm_it() {
    // due now (desired = now + buffer): two Reminders on one store race for it
    Callback callback = scheduled("race", Instant.now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(300));
    Reminders first = reminders(java.time.Clock.systemUTC());
    Reminders second = reminders(java.time.Clock.systemUTC());
    first.sweep();
    second.sweep();
    await().atMost(Duration.ofSeconds(10)).until(() -> !sent.isEmpty() && first.armed() == 0 && second.armed() == 0);
    assertThat(sent).containsExactly("race");
    Callback stored = store.find("race").orElseThrow();
    assertThat(stored.serverState()).containsEntry(Reminders.SENT_FOR, Times.format(callback.desiredTime()));

    // a third one (a restart) finds it sent
    Reminders restarted = reminders(java.time.Clock.systemUTC());
    restarted.sweep();
    assertThat(restarted.armed()).isZero();
    assertThat(sent).containsExactly("race");
  }

  @Test
  void a_reminder_whose_time_passed_during_a_short_outage_still_goes_out_a_long_one_does_not() {
    scheduled("recent", Instant.now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(270)); // 30 s late
    scheduled("old", Instant.now().truncatedTo(ChronoUnit.MILLIS).plusSeconds(100)); // 200 s late
    Reminders reminders = reminders(java.time.Clock.systemUTC());
    reminders.sweep();
    await().atMost(Duration.ofSeconds(10)).until(() -> sent.contains("recent"));
    assertThat(sent).containsExactly("recent");
  }

  @Test
  void the_sweep_arms_every_reminder_when_more_than_a_page_of_callbacks_share_one_desired_time() {
    MutableClock clock = new MutableClock(NOW);
    Instant desired = NOW.plus(Duration.ofMinutes(10)); // reminder 5 min ahead: within the horizon
    int count = Reminders.PAGE + 5;
    for (int i = 0; i < count; i++) {
      scheduled(String.format("same-%05d", i), desired);
    }
    // callbacks without a notification channel did not ask for reminders: never armed, never paged
    for (int i = 0; i < 3; i++) {
      Callback silent = new Callback("silent-" + i, "S", CallbackState.SCHEDULED, null, "+16175550100", desired,
          NOW, desired.plusSeconds(3600), desired.minusSeconds(120), Map.of("_customer_number", "+16175550100"),
          false, 1, NOW);
      store.insert(silent, new StateChange(CallbackState.SCHEDULED, null, NOW, "api"));
    }
    Reminders reminders = reminders(clock);
    reminders.sweep();
    assertThat(reminders.armed()).isEqualTo(count);
    reminders.close();
  }
}

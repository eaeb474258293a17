package org.opencallback.callback;

import org.opencallback.callback.admission.CustomerNumbers;
import org.opencallback.callback.admission.IdGenerator;
import org.opencallback.callback.admission.StartResult;
import org.opencallback.callback.admission.ServiceCalendars;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.opencallback.config.ConfigHolder;
import org.opencallback.config.ConfigLoader;
import org.opencallback.config.Configuration;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.domain.Times;
import org.opencallback.store.Database;
import org.opencallback.store.JdbcCallbackStore;
import org.opencallback.testing.MutableClock;
import org.opencallback.testing.TestDatabase;

class CallbackServiceTest {
  private static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final Database database = TestDatabase.h2();
  private final JdbcCallbackStore store = new JdbcCallbackStore(database.dataSource(), new ObjectMapper());
  private Duration ewt = Duration.ZERO;

  @AfterEach
  void close() {
    database.close();
  }

  private CallbackService service(String yaml) throws Exception {
    Configuration config = Configuration.from(
        ConfigLoader.parse(yaml.getBytes(StandardCharsets.UTF_8), "t.yaml", "t.yaml"), "t.yaml");
    return new CallbackService(new ConfigHolder(config), store, clock, new IdGenerator(7),
        (s, r) -> ewt, CallbackListener.NONE, CustomerNumbers.AS_GIVEN, new ServiceCalendars(),
        org.opencallback.scheduling.ExecutionGateway.NONE, url -> java.util.Optional.empty());
  }

  private int numbers;

  private Map<String, Object> at(Instant desired) {
    return Map.of("_customer_number", String.valueOf(5_550_000 + numbers++), "_desired_time", Times.format(desired));
  }

  @Test
  void no_desired_time_is_immediate() throws Exception {
    StartResult result = service("service.S:\n  _type: ors\n").start("S", Map.of("_customer_number", "1"));

    assertThat(result.immediate()).isTrue();
    assertThat(result.callback().state()).isEqualTo(CallbackState.QUEUED);
    assertThat(result.callback().desiredTime()).isEqualTo(NOW);
    assertThat(result.callback().dueTime()).isNull();
  }

  @Test
  void desired_time_inside_the_buffer_is_immediate_and_at_the_edge_is_scheduled() throws Exception {
    CallbackService callbacks = service("service.S:\n  _request_execution_time_buffer: 120\n");

    assertThat(callbacks.start("S", at(NOW.plusSeconds(5))).immediate()).isTrue();
    assertThat(callbacks.start("S", at(NOW.plusMillis(119_999))).immediate()).isTrue();
    StartResult edge = callbacks.start("S", at(NOW.plusSeconds(120)));
    assertThat(edge.immediate()).isFalse();
    assertThat(edge.callback().state()).isEqualTo(CallbackState.SCHEDULED);
    assertThat(edge.callback().dueTime()).isEqualTo(NOW);
  }

  @Test
  void smaller_buffer_schedules_sooner_times() throws Exception {
    CallbackService callbacks = service("service.S:\n  _request_execution_time_buffer: 15\n");

    assertThat(callbacks.start("S", at(NOW.plusSeconds(10))).immediate()).isTrue();
    assertThat(callbacks.start("S", at(NOW.plusSeconds(30))).callback().state()).isEqualTo(CallbackState.SCHEDULED);
  }

  @Test
  void expected_wait_time_widens_the_immediate_window_and_advances_the_due_time() throws Exception {
    CallbackService callbacks = service("service.S:\n  _request_execution_time_buffer: 120\n");
    ewt = Duration.ofSeconds(300);

    assertThat(callbacks.start("S", at(NOW.plusSeconds(400))).immediate()).isTrue();
    Callback scheduled = callbacks.start("S", at(NOW.plusSeconds(1000))).callback();
    assertThat(scheduled.dueTime()).isEqualTo(NOW.plusSeconds(1000 - 120 - 300));
  }

  @Test
  void past_desired_time_is_immediate() throws Exception {
    assertThat(service("service.S: {}\n").start("S", at(NOW.minusSeconds(3600))).immediate()).isTrue();
  }

  @Test
  void forced_state_wins_over_the_rule() throws Exception {
    CallbackService callbacks = service("service.S: {}\n");
    Map<String, Object> request = Map.of("_customer_number", "1", "_callback_state", "SCHEDULED");

    assertThat(callbacks.start("S", request).callback().state()).isEqualTo(CallbackState.SCHEDULED);
  }

  @Test
  void expiration_is_desired_time_plus_ttl() throws Exception {
    Callback callback = service("service.S:\n  _ttl: 600\n").start("S", at(NOW.plusSeconds(3600))).callback();

    assertThat(callback.expirationTime()).isEqualTo(NOW.plusSeconds(4200));
  }

  @Test
  void reschedule_recomputes_state_and_history_records_each_step() throws Exception {
    CallbackService callbacks = service("service.S: {}\n");
    Callback callback = callbacks.start("S", at(NOW.plusSeconds(3600))).callback();
    clock.advance(Duration.ofSeconds(10));

    Callback moved = callbacks.update("S", callback.id(), Map.of("_new_desired_time", Times.format(NOW.plusSeconds(60))));

    assertThat(moved.state()).isEqualTo(CallbackState.QUEUED);
    assertThat(store.history(callback.id())).extracting(StateChange::state)
        .containsExactly(CallbackState.SCHEDULED, CallbackState.QUEUED);
    assertThatThrownBy(() -> callbacks.update("S", callback.id(), Map.of("_new_desired_time", Times.format(NOW.plusSeconds(9000)))))
        .isInstanceOf(CallbackException.class)
        .hasMessage("Callback '" + callback.id() + "' is no longer scheduled. State=QUEUED");
  }

  @Test
  void ids_carry_the_node_number() throws Exception {
    Callback callback = service("service.S: {}\n").start("S", Map.of("_customer_number", "1")).callback();

    assertThat(callback.id()).matches("7-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    assertThat(IdGenerator.nodeNumber("12")).isEqualTo(12);
    assertThat(IdGenerator.nodeNumber("node-a")).isBetween(1, 999).isEqualTo(IdGenerator.nodeNumber("node-a"));
  }
}

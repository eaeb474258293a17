package org.opencallback.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;

/** Every scenario and completion reason of the built-in engine, on short timings. */
class ScenarioTest {
  private static final String OUTCOMES =
      "dial_outcomes: {'^\\+1555000': busy, '^\\+1555111': no_answer, '^\\+1555222': answering_machine,"
          + " '^\\+1555333': fax}";

  @Test
  void agent_first_reserves_an_agent_dials_and_completes_agent_connected() {
    try (Harness h = new Harness("agents: 1")) {
      Callback callback = h.submit(Harness.service("S"), "+15559990001");
      h.awaitCompleted(callback, "AGENT_CONNECTED");
      assertThat(h.reporter.history(callback.id()))
          .containsExactly("QUEUED", "ROUTING", "PROCESSING", "COMPLETED AGENT_CONNECTED");
      h.awaitAgent("sim-1", AgentState.READY);
    }
  }

  @Test
  void customer_first_dials_at_once_and_the_customer_waits_for_an_agent() {
    try (Harness h = new Harness("agents: 0", "talk_time: 1h")) {
      Callback callback = h.submit(Harness.service("S", "_wait_for_agent", "false"), "+15559990002");
      h.awaitState(callback, CallbackState.ROUTING);
      Harness.Events events = h.realAgent("alice");
      events.await(AgentEvent.CONNECTED);
      h.awaitState(callback, CallbackState.PROCESSING);
      h.engine.hangUp("alice");
      h.awaitCompleted(callback, "AGENT_CONNECTED");
      assertThat(h.reporter.history(callback.id()))
          .containsExactly("QUEUED", "ROUTING", "PROCESSING", "COMPLETED AGENT_CONNECTED");
      assertThat(events.await(AgentEvent.ENDED).data()).containsEntry("result", "AGENT_CONNECTED");
    }
  }

  @Test
  void busy_every_time_ends_fail_call_to_customer_after_the_attempts() {
    try (Harness h = new Harness("agents: 1", OUTCOMES)) {
      Callback callback = h.submit(
          Harness.service("S", "_dial_retry_timeout", "20ms", "_max_dial_attempts", "3"), "+15550001234");
      h.awaitCompleted(callback, "FAIL_CALL_TO_CUSTOMER");
      assertThat(h.reporter.history(callback.id())).containsExactly(
          "QUEUED", "ROUTING", "QUEUED", "ROUTING", "QUEUED", "ROUTING", "COMPLETED FAIL_CALL_TO_CUSTOMER");
    }
  }

  @Test
  void no_answer_in_customer_first_retries_without_an_agent() {
    try (Harness h = new Harness("agents: 1", OUTCOMES)) {
      Callback callback = h.submit(Harness.service("S", "_wait_for_agent", "false",
          "_dial_retry_timeout", "0", "_max_dial_attempts", "2"), "+15551111234");
      h.awaitCompleted(callback, "FAIL_CALL_TO_CUSTOMER");
      assertThat(h.reporter.history(callback.id())).containsExactly("QUEUED", "COMPLETED FAIL_CALL_TO_CUSTOMER");
    }
  }

  @Test
  void a_busy_customer_answering_later_is_connected() {
    ScriptedDialer dialer = new ScriptedDialer(DialOutcome.BUSY, DialOutcome.NO_ANSWER, DialOutcome.ANSWER);
    try (Harness h = new Harness(java.time.Clock.systemUTC(), dialer, "agents: 1")) {
      Callback callback = h.submit(Harness.service("S", "_dial_retry_timeout", "10ms"), "+15559990003");
      h.awaitCompleted(callback, "AGENT_CONNECTED");
      assertThat(h.reporter.history(callback.id())).containsExactly(
          "QUEUED", "ROUTING", "QUEUED", "ROUTING", "QUEUED", "ROUTING", "PROCESSING", "COMPLETED AGENT_CONNECTED");
      assertThat(dialer.dialed).isEqualTo(3);
    }
  }

  @Test
  void answering_machine_and_fax_end_with_their_reasons() {
    try (Harness h = new Harness("agents: 2", OUTCOMES)) {
      Callback machine = h.submit(Harness.service("S"), "+15552220000");
      Callback fax = h.submit(Harness.service("S"), "+15553330000");
      h.awaitCompleted(machine, "ANSWERING_MACHINE");
      h.awaitCompleted(fax, "FAIL_FAX");
      h.awaitAgent("sim-1", AgentState.READY);
      h.awaitAgent("sim-2", AgentState.READY);
    }
  }

  @Test
  void a_customer_waiting_too_long_on_the_line_ends_fail_agent_connect() {
    try (Harness h = new Harness("agents: 0")) {
      Callback callback = h.submit(Harness.service("S", "_wait_for_agent", "false",
          "_max_time_to_wait_for_agent_on_the_call", "100ms"), "+15559990004");
      h.awaitCompleted(callback, "FAIL_AGENT_CONNECT");
      assertThat(h.reporter.history(callback.id())).containsExactly("QUEUED", "ROUTING", "COMPLETED FAIL_AGENT_CONNECT");
    }
  }

  @Test
  void an_impatient_customer_abandons_in_queue() {
    try (Harness h = new Harness("agents: 0", "customer_patience: 100ms")) {
      Callback callback = h.submit(Harness.service("S", "_wait_for_agent", "false"), "+15559990005");
      h.awaitCompleted(callback, "ABANDONED_IN_QUEUE");
    }
  }

  @Test
  void no_agent_within_urs_queued_ttl_ends_fail_target_not_found() {
    try (Harness h = new Harness("agents: 0")) {
      Callback callback = h.submit(Harness.service("S", "_urs_queued_ttl", "100ms"), "+15559990006");
      h.awaitCompleted(callback, "FAIL_TARGET_NOT_FOUND");
      assertThat(h.engine.position(callback.id())).isEmpty();
    }
  }

  @Test
  void a_callback_past_its_expiration_ends_fail_timeout_ttl() {
    try (Harness h = new Harness("agents: 0")) {
      ServiceConfig service = Harness.service("S");
      Callback callback = h.callback(service, "+15559990007", Duration.ofMillis(100));
      h.engine.submit(callback, service);
      h.awaitCompleted(callback, "FAIL_TIMEOUT_TTL");
    }
  }

  @Test
  void a_callback_without_customer_number_ends_fail_no_customer_number() {
    try (Harness h = new Harness("agents: 1")) {
      Callback callback = h.submit(Harness.service("S"), null);
      h.awaitCompleted(callback, "FAIL_NO_CUSTOMER_NUMBER");
    }
  }

  @Test
  void recovered_callbacks_start_again_and_processing_ones_end_agent_connected() {
    try (Harness h = new Harness("agents: 1")) {
      ServiceConfig service = Harness.service("S");
      Callback routing = h.callback(service, "+15559990008", Duration.ofDays(1));
      h.reporter.report(routing.id(), CallbackState.ROUTING, null, java.util.Map.of());
      Callback processing = h.callback(service, "+15559990009", Duration.ofDays(1));
      h.reporter.report(processing.id(), CallbackState.PROCESSING, null, java.util.Map.of());
      h.engine.recover(h.reporter.get(routing.id()), service);
      h.engine.recover(h.reporter.get(processing.id()), service);
      h.awaitCompleted(routing, "AGENT_CONNECTED");
      h.awaitCompleted(processing, "AGENT_CONNECTED");
      assertThat(h.reporter.history(routing.id())).startsWith("QUEUED", "ROUTING", "QUEUED", "ROUTING");
    }
  }

  /** Gives scripted outcomes, one per dial, at once on a new thread. */
  static final class ScriptedDialer implements Dialer {
    private final Deque<DialOutcome> outcomes;
    volatile int dialed;

    ScriptedDialer(DialOutcome... outcomes) {
      this.outcomes = new ArrayDeque<>(List.of(outcomes));
    }

    @Override
    public synchronized Attempt dial(String callbackId, String number, Consumer<DialOutcome> outcome) {
      dialed++;
      DialOutcome next = outcomes.size() > 1 ? outcomes.poll() : outcomes.peek();
      new Thread(() -> outcome.accept(next)).start();
      return () -> {};
    }
  }

  @Test
  void hot_reload_of_engine_agents_adds_and_removes_simulated_agents() {
    try (Harness h = new Harness("agents: 1")) {
      assertThat(h.engine.agents()).extracting(AgentView::id).containsExactly("sim-1");
      h.configure("agents: 3");
      await().atMost(Harness.WAIT).until(() -> h.engine.agents().size() == 3);
      h.configure("agents: 0");
      await().atMost(Harness.WAIT).until(() -> h.engine.agents().isEmpty());
    }
  }
}

package org.opencallback.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackState;

/** Agent states, refusals, cancel, and callbacks that are no longer active. */
class AgentDeskTest {
  private static void assertCode(Runnable action, int code) {
    assertThatThrownBy(action::run).isInstanceOfSatisfying(
        CallbackException.class, e -> assertThat(e.code().code()).isEqualTo(code));
  }

  @Test
  void an_agent_logs_in_not_ready_goes_ready_not_ready_and_out() {
    try (Harness h = new Harness("agents: 0")) {
      AgentView in = h.engine.login("alice", "Alice", List.of("S"));
      assertThat(in).extracting(AgentView::state, AgentView::reason, AgentView::services)
          .containsExactly(AgentState.NOT_READY, "LOGIN", List.of("S"));
      assertThat(h.engine.ready("alice").state()).isEqualTo(AgentState.READY);
      assertThat(h.engine.notReady("alice", "lunch")).extracting(AgentView::state, AgentView::reason)
          .containsExactly(AgentState.NOT_READY, "lunch");
      assertThat(h.engine.logout("alice").state()).isEqualTo(AgentState.LOGGED_OUT);
      assertCode(() -> h.engine.ready("alice"), 40020);
      assertThat(h.engine.agents()).extracting(AgentView::id).containsExactly("alice");
    }
  }

  @Test
  void unknown_agents_and_wrong_actions_are_refused() {
    try (Harness h = new Harness("agents: 1")) {
      assertCode(() -> h.engine.ready("nobody"), 40030);
      assertCode(() -> h.engine.subscribe("nobody", e -> {}), 40030);
      assertCode(() -> h.engine.login("sim-1", "x", List.of()), 40020);
      h.engine.login("alice", null, List.of());
      assertCode(() -> h.engine.preview("alice", "1-x", "accept"), 40020);
      assertCode(() -> h.engine.preview("alice", "1-x", "maybe"), 40010);
      assertCode(() -> h.engine.disposition("alice", "1-x", "SALE", null), 40020);
      assertCode(() -> h.engine.disposition("alice", "1-x", "", null), 40010);
      assertCode(() -> h.engine.hangUp("alice"), 40020);
    }
  }

  @Test
  void cancel_while_queued_removes_the_callback_from_its_queue() {
    try (Harness h = new Harness("agents: 0")) {
      Callback callback = h.submit(Harness.service("S"), "+15559993001");
      assertThat(h.engine.position(callback.id())).isPresent();
      h.reporter.cancel(callback.id());
      h.engine.cancel(callback);
      assertThat(h.engine.position(callback.id())).isEmpty();
      Harness.Events events = h.realAgent("alice");
      assertThat(h.agent("alice").state()).isEqualTo(AgentState.READY);
      assertThat(events.count(AgentEvent.CONNECTED)).isZero();
    }
  }

  @Test
  void cancel_while_routing_frees_the_agent_and_tells_it() {
    try (Harness h = new Harness("agents: 0")) {
      Harness.Events events = h.realAgent("alice");
      Callback callback = h.submit(Harness.service("S", "_agent_preview", "true"), "+15559993002");
      events.await(AgentEvent.INVITATION);
      h.awaitState(callback, CallbackState.ROUTING);
      h.reporter.cancel(callback.id());
      h.engine.cancel(callback);
      assertThat(events.await(AgentEvent.CANCELLED).data()).containsEntry("_id", callback.id());
      assertThat(h.agent("alice")).extracting(AgentView::state, AgentView::callback).containsExactly(AgentState.READY, null);
      assertThat(h.reporter.history(callback.id())).containsExactly("QUEUED", "ROUTING", "COMPLETED CANCELLED");
    }
  }

  @Test
  void a_callback_cancelled_behind_the_engines_back_is_dropped_when_a_report_is_refused() {
    try (Harness h = new Harness("agents: 0", "talk_time: 1h")) {
      Callback callback = h.submit(Harness.service("S"), "+15559993003");
      h.reporter.cancel(callback.id()); // the engine is not told
      Harness.Events events = h.realAgent("alice");
      events.await(AgentEvent.CANCELLED);
      h.awaitAgent("alice", AgentState.READY);
      assertThat(h.engine.position(callback.id())).isEmpty();
    }
  }

  @Test
  void agent_events_carry_state_changes() {
    try (Harness h = new Harness("agents: 0")) {
      Harness.Events events = h.realAgent("alice");
      AgentEvent ready = events.await(AgentEvent.STATE);
      assertThat(ready.data()).containsEntry("agent", "alice").containsEntry("state", "READY");
      assertThat(h.engine.agents().get(0)).isEqualTo(
          new AgentView("alice", "alice", false, AgentState.READY, null, List.of(), null));
      assertThat(Map.of()).isEmpty();
    }
  }
}

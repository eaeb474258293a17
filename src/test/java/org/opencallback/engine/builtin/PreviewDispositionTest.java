package org.opencallback.engine.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackState;

/** Agent preview (accept, reject, cancel, timeout) and the disposition dialog. */
class PreviewDispositionTest {
  private static final ServiceConfig PREVIEW = Harness.service("P",
      "_agent_preview", "true", "_agent_preview_allow_reject", "2", "_agent_preview_data", "account,segment");

  @Test
  void the_reserved_agent_gets_an_invitation_and_accepting_dials_the_customer() {
    try (Harness h = new Harness("agents: 0")) {
      Harness.Events events = h.realAgent("alice");
      Callback callback = h.submit(PREVIEW, "+15559991001", "account", "A-1", "segment", "gold", "other", "x");
      AgentEvent invitation = events.await(AgentEvent.INVITATION);
      assertThat(invitation.data())
          .containsEntry("_id", callback.id())
          .containsEntry("_service_name", "P")
          .containsEntry("_customer_number", "+15559991001")
          .containsEntry("userData", Map.of("account", "A-1", "segment", "gold"))
          .containsEntry("actions", List.of("accept", "reject", "cancel"));
      h.awaitState(callback, CallbackState.ROUTING);
      assertThat(h.agent("alice").state()).isEqualTo(AgentState.RESERVED);
      h.engine.preview("alice", callback.id(), "accept");
      events.await(AgentEvent.CONNECTED);
      h.awaitCompleted(callback, "AGENT_CONNECTED");
    }
  }

  @Test
  void without_preview_data_the_invitation_carries_all_user_data_and_no_reject() {
    try (Harness h = new Harness("agents: 0")) {
      Harness.Events events = h.realAgent("alice");
      h.submit(Harness.service("P", "_agent_preview", "true"), "+15559991002", "a", "1", "_system", "s");
      AgentEvent invitation = events.await(AgentEvent.INVITATION);
      assertThat(invitation.data()).containsEntry("userData", Map.of("a", "1"))
          .containsEntry("actions", List.of("accept", "cancel"));
      String id = (String) invitation.data().get("_id");
      assertThatThrownBy(() -> h.engine.preview("alice", id, "reject"))
          .isInstanceOfSatisfying(CallbackException.class, e -> assertThat(e.code().code()).isEqualTo(40020));
    }
  }

  @Test
  void a_reject_puts_the_callback_back_and_once_the_allowed_rejects_are_used_the_next_preview_has_no_reject() {
    try (Harness h = new Harness("agents: 0")) {
      Harness.Events events = h.realAgent("alice");
      Callback callback = h.submit(PREVIEW, "+15559991003");
      assertThat(events.await(AgentEvent.INVITATION, 0).data().get("actions")).isEqualTo(List.of("accept", "reject", "cancel"));
      h.engine.preview("alice", callback.id(), "reject");
      AgentEvent second = events.await(AgentEvent.INVITATION, 1);
      assertThat(second.data()).containsEntry("rejects", 1);
      h.engine.preview("alice", callback.id(), "reject");
      // the second reject does not end it (GMS): the next preview simply offers no reject
      AgentEvent third = events.await(AgentEvent.INVITATION, 2);
      assertThat(third.data()).containsEntry("rejects", 2).containsEntry("actions", List.of("accept", "cancel"));
      assertThatThrownBy(() -> h.engine.preview("alice", callback.id(), "reject"))
          .isInstanceOfSatisfying(CallbackException.class, e -> assertThat(e.code().code()).isEqualTo(40020));
      // a cancel after the rejects ran out ends it with the reason that counts them
      h.engine.preview("alice", callback.id(), "cancel");
      h.awaitCompleted(callback, "AGENT_PREVIEW_CANCEL_AFTER_2REJECTS");
      assertThat(h.reporter.history(callback.id())).containsExactly(
          "QUEUED", "ROUTING", "QUEUED", "ROUTING", "QUEUED", "ROUTING", "COMPLETED AGENT_PREVIEW_CANCEL_AFTER_2REJECTS");
      h.awaitAgent("alice", AgentState.READY);
    }
  }

  @Test
  void cancel_in_the_preview_ends_agent_preview_cancel() {
    try (Harness h = new Harness("agents: 0")) {
      Harness.Events events = h.realAgent("alice");
      Callback callback = h.submit(PREVIEW, "+15559991004");
      events.await(AgentEvent.INVITATION);
      h.engine.preview("alice", callback.id(), "cancel");
      h.awaitCompleted(callback, "AGENT_PREVIEW_CANCEL");
    }
  }

  @Test
  void a_preview_timeout_sets_the_agent_not_ready_and_another_agent_gets_the_callback() {
    ServiceConfig service = Harness.service("P", "_agent_preview", "true", "_agent_preview_timeout", "100ms",
        "_agent_preview_timeout_set_notready", "true", "_agent_preview_set_notready_reason", "42");
    try (Harness h = new Harness("agents: 0")) {
      Harness.Events alice = h.realAgent("alice");
      Callback callback = h.submit(service, "+15559991005");
      alice.await(AgentEvent.INVITATION);
      h.awaitAgent("alice", AgentState.NOT_READY);
      assertThat(h.agent("alice").reason()).isEqualTo("42");
      assertThat(alice.await(AgentEvent.ENDED).data()).containsEntry("result", "preview_timeout");
      h.awaitState(callback, CallbackState.QUEUED);
      Harness.Events bob = h.realAgent("bob");
      assertThat(bob.await(AgentEvent.INVITATION).data()).containsEntry("_id", callback.id());
    }
  }

  @Test
  void simulated_agents_accept_previews_and_answer_dispositions_at_once() {
    try (Harness h = new Harness("agents: 1")) {
      Callback callback = h.submit(
          Harness.service("P", "_agent_preview", "true", "_enable_disposition_dialog", "true"), "+15559991006");
      h.awaitCompleted(callback, "AGENT_CONNECTED");
      await().atMost(Harness.WAIT).until(() -> "completed".equals(h.reporter.get(callback.id()).serverState().get("_disposition")));
    }
  }

  @Test
  void the_disposition_is_stored_on_the_completed_callback() {
    try (Harness h = new Harness("agents: 0")) {
      Harness.Events events = h.realAgent("alice");
      Callback callback = h.submit(Harness.service("D", "_enable_disposition_dialog", "true"), "+15559991007");
      AgentEvent disposition = events.await(AgentEvent.DISPOSITION);
      assertThat(disposition.data()).containsEntry("_id", callback.id());
      h.awaitCompleted(callback, "AGENT_CONNECTED");
      assertThat(h.agent("alice").state()).isEqualTo(AgentState.AFTER_CALL);
      assertThatThrownBy(() -> h.engine.ready("alice")).isInstanceOf(CallbackException.class);
      h.engine.disposition("alice", callback.id(), "SALE", "wants gold");
      await().atMost(Harness.WAIT).until(() -> h.reporter.get(callback.id()).serverState().containsKey("_disposition"));
      assertThat(h.reporter.get(callback.id()).serverState())
          .containsEntry("_disposition", "SALE").containsEntry("_disposition_notes", "wants gold");
      assertThat(h.agent("alice").state()).isEqualTo(AgentState.READY);
    }
  }

  @Test
  void without_a_disposition_in_time_the_agent_is_ready_again() {
    try (Harness h = new Harness("agents: 0")) {
      Harness.Events events = h.realAgent("alice");
      Callback callback = h.submit(Harness.service("D", "_enable_disposition_dialog", "true",
          "_agent_disposition_timeout", "100ms"), "+15559991008");
      events.await(AgentEvent.DISPOSITION);
      h.awaitAgent("alice", AgentState.READY);
      assertThat(h.reporter.get(callback.id()).serverState()).doesNotContainKey("_disposition");
      assertThat(h.reporter.get(callback.id()).reason()).isEqualTo("AGENT_CONNECTED");
    }
  }
}

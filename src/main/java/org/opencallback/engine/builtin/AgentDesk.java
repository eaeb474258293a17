package org.opencallback.engine.builtin;

import java.util.List;
import java.util.function.Consumer;
import org.opencallback.domain.CallbackException;

/**
 * What real agents' desktops do through the agent API. Every refusal is a {@link
 * CallbackException}: an unknown agent 40030, an action its state does not allow 40020, a bad
 * argument 40010. Thread-safe.
 */
public interface AgentDesk {
  List<AgentView> agents();

  AgentView agent(String agentId);

  /**
   * Logs an agent in (NOT_READY, reason {@code LOGIN}), or updates the name and services of one
   * already logged in.
   *
   * @param services the services it serves; empty: all
   */
  AgentView login(String agentId, String name, List<String> services);

  AgentView ready(String agentId);

  AgentView notReady(String agentId, String reason);

  AgentView logout(String agentId);

  /** The reserved agent's answer to a CallbackInvitationEvent: accept, reject or cancel. */
  AgentView preview(String agentId, String callbackId, String action);

  /** The agent's answer to a CallbackDispositionEvent. */
  AgentView disposition(String agentId, String callbackId, String disposition, String notes);

  /** Ends the agent's call now (otherwise the simulated customer hangs up after {@code talk_time}). */
  AgentView hangUp(String agentId);

  /**
   * Sends an agent's events to {@code listener}, in order, until the returned handle is run.
   *
   * @throws CallbackException 40030 for an unknown agent
   */
  Runnable subscribe(String agentId, Consumer<AgentEvent> listener);
}

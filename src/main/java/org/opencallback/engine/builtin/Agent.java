package org.opencallback.engine.builtin;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/** An agent, simulated or real. Not thread-safe except {@link #listeners}: guarded by the engine's lock. */
final class Agent {
  final String id;
  final boolean simulated;
  final List<Consumer<AgentEvent>> listeners = new CopyOnWriteArrayList<>();

  String name;
  List<String> services;
  AgentState state;
  String reason;
  /** The callback it is reserved for or talking on. */
  Job job;
  /** The callback whose disposition it is filling in (AFTER_CALL). */
  Job wrapUp;
  ScheduledFuture<?> wrapUpTimer;
  Instant reservedAt;
  Instant idleSince;

  Agent(String id, boolean simulated, String name, List<String> services, AgentState state, String reason, Instant now) {
    this.id = id;
    this.simulated = simulated;
    this.name = name;
    this.services = List.copyOf(services);
    this.state = state;
    this.reason = reason;
    this.idleSince = now;
  }

  boolean serves(String service) {
    return services.isEmpty() || services.contains(service);
  }

  boolean isFree() {
    return state == AgentState.READY && job == null && wrapUp == null;
  }

  boolean isLoggedIn() {
    return state != AgentState.LOGGED_OUT;
  }

  AgentView view() {
    Job current = job != null ? job : wrapUp;
    return new AgentView(id, name, simulated, state, reason, services, current == null ? null : current.id);
  }
}

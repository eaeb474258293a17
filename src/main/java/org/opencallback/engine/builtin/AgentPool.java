package org.opencallback.engine.builtin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.ErrorCode;

/**
 * This node's agents (simulated and real), their last handle times, the agents the other nodes
 * published (cluster mode), and the expected wait computed from them. Not thread-safe: used only
 * under the {@link BuiltinEngine}'s lock, except {@link #others} (volatile, set by the exchange).
 */
final class AgentPool {
  private final EngineSettings.Reader settings;
  private final Clock clock;
  /** Cluster mode: the other nodes' agents count in the expected wait. */
  private final boolean cluster;
  /** Bound: simulated agents ([engine] agents) and logged-in agents (accounts); removed at logout. */
  private final Map<String, Agent> agents = new LinkedHashMap<>();
  /** Bound: one deque per queue name, at most {@link BuiltinEngine#HANDLE_SAMPLES} samples each. */
  private final Map<String, Deque<Duration>> handleTimes = new HashMap<>();
  /** Cluster mode: what the other nodes published about their agents. */
  private volatile List<SharedQueues.NodeAgents> others = List.of();

  AgentPool(EngineSettings.Reader settings, Clock clock, boolean cluster) {
    this.settings = settings;
    this.clock = clock;
    this.cluster = cluster;
  }

  Collection<Agent> all() {
    return agents.values();
  }

  /** The agent with this id, or null. */
  Agent get(String agentId) {
    return agents.get(agentId);
  }

  void add(Agent agent) {
    agents.put(agent.id, agent);
  }

  /**
   * Whether a new real agent may be added under {@code engine.max-agents}: below it, yes; at it, the
   * longest-known logged-out real agent with no call and no open event stream is forgotten to make
   * room; otherwise no. Keeps the map of agents bounded whatever ids clients log in with.
   */
  boolean roomForRealAgent(int max) {
    List<Agent> real = agents.values().stream().filter(agent -> !agent.simulated).toList();
    if (real.size() < max) {
      return true;
    }
    for (Agent agent : real) {
      if (agent.state == AgentState.LOGGED_OUT && agent.job == null && agent.wrapUp == null
          && agent.listeners.isEmpty()) {
        agents.remove(agent.id);
        return real.size() - 1 < max;
      }
    }
    return false;
  }

  /** Free agents, longest idle first. */
  List<Agent> free() {
    List<Agent> free = new ArrayList<>();
    for (Agent agent : agents.values()) {
      if (agent.isFree()) {
        free.add(agent);
      }
    }
    free.sort(Comparator.comparing(agent -> agent.idleSince));
    return free;
  }

  /** Whether a free agent here serves {@code service}. */
  boolean anyFreeServing(String service) {
    return agents.values().stream().anyMatch(agent -> agent.isFree() && agent.serves(service));
  }

  Agent known(String agentId) {
    Agent agent = agentId == null ? null : agents.get(agentId);
    if (agent == null) {
      throw new CallbackException(
          ErrorCode.NOT_FOUND, CallbackException.Fault.NOT_FOUND, "Agent " + agentId + " not found",
          Map.of("agent", String.valueOf(agentId)), Map.of());
    }
    return agent;
  }

  /** A logged-in agent with no callback: the only one that may change its own state. */
  Agent idleAgent(String agentId, String action) {
    Agent agent = known(agentId);
    boolean idle = agent.state == AgentState.READY || agent.state == AgentState.NOT_READY;
    if (!idle) {
      throw CallbackException.invalidOperation(
          "Agent " + agentId + " is " + agent.state + ": " + action + " is not possible"
              + (agent.state == AgentState.LOGGED_OUT ? " (log in first)" : ""));
    }
    return agent;
  }

  /**
   * Adds simulated agents up to {@code engine.agents}; removes extra ones once they are idle. True
   * when agents were added.
   */
  boolean syncSimulatedAgents() {
    boolean added = false;
    int wanted = settings.get().agents();
    List<Agent> simulated = agents.values().stream().filter(agent -> agent.simulated).toList();
    int have = simulated.size();
    for (int index = 1; have < wanted; index++) {
      String id = BuiltinEngine.SIMULATED_PREFIX + index;
      if (!agents.containsKey(id)) {
        agents.put(id, new Agent(id, true, "Simulated agent " + index, List.of(), AgentState.READY, null, clock.instant()));
        have++;
        added = true;
      }
    }
    for (int i = simulated.size() - 1; i >= 0 && have > wanted; i--) {
      Agent agent = simulated.get(i);
      if (agent.job == null && agent.wrapUp == null) {
        agents.remove(agent.id);
        have--;
      }
    }
    return added;
  }

  void recordHandleTime(Job job, Agent agent) {
    if (agent.reservedAt == null) {
      return;
    }
    Deque<Duration> samples = handleTimes.computeIfAbsent(job.scenario.queue(), q -> new ArrayDeque<>());
    samples.addLast(Duration.between(agent.reservedAt, clock.instant()));
    while (samples.size() > BuiltinEngine.HANDLE_SAMPLES) {
      samples.removeFirst();
    }
  }

  /** Cluster mode: what this node publishes about its agents. */
  SharedQueues.NodeAgents summary() {
    List<SharedQueues.AgentSummary> summaries = new ArrayList<>();
    for (Agent agent : agents.values()) {
      summaries.add(new SharedQueues.AgentSummary(agent.services, agent.isLoggedIn(), agent.isFree()));
    }
    Map<String, List<Long>> handles = new java.util.TreeMap<>();
    handleTimes.forEach((queue, samples) -> handles.put(queue, samples.stream().map(Duration::toMillis).toList()));
    return new SharedQueues.NodeAgents(summaries, handles);
  }

  /** Cluster mode: what the other nodes published about their agents. */
  void others(List<SharedQueues.NodeAgents> published) {
    others = List.copyOf(published);
  }

  /**
   * Expected wait of the callback at {@code position} (1-based): none while a free agent is left for
   * it, else the callbacks ahead of the free agents share the logged-in agents that serve the
   * service, one average handle time each.
   */
  Duration estimate(String queue, String service, int position) {
    int serving = 0;
    int free = 0;
    for (Agent agent : agents.values()) {
      if (agent.isLoggedIn() && agent.serves(service)) {
        serving++;
        if (agent.isFree()) {
          free++;
        }
      }
    }
    // cluster mode: the agents of every node (as they published them)
    for (SharedQueues.NodeAgents node : !cluster ? List.<SharedQueues.NodeAgents>of() : others) {
      for (SharedQueues.AgentSummary agent : node.agents()) {
        if (agent.loggedIn() && agent.serves(service)) {
          serving++;
          if (agent.free()) {
            free++;
          }
        }
      }
    }
    int waiting = position - free;
    if (waiting <= 0) {
      return Duration.ZERO;
    }
    return averageHandleTime(queue).multipliedBy(waiting).dividedBy(Math.max(1, serving));
  }

  private Duration averageHandleTime(String queue) {
    Deque<Duration> samples = handleTimes.get(queue);
    if (cluster) {
      // cluster mode: every node's last calls in this queue
      Deque<Duration> all = new ArrayDeque<>(samples == null ? List.of() : samples);
      for (SharedQueues.NodeAgents node : others) {
        node.handleMillis().getOrDefault(queue, List.of()).forEach(millis -> all.add(Duration.ofMillis(millis)));
      }
      samples = all;
    }
    if (samples == null || samples.isEmpty()) {
      EngineSettings now = settings.get();
      return now.ringTime().plus(now.talkTime());
    }
    Duration total = Duration.ZERO;
    for (Duration sample : samples) {
      total = total.plus(sample);
    }
    return total.dividedBy(samples.size());
  }
}

package org.opencallback.engine.builtin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.opencallback.engine.CallbackOptions;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.engine.ExecutionEngine;
import org.opencallback.engine.QueuePosition;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in execution engine: virtual queues, simulated and real agents, a dialer, and the GMS
 * scenarios (agent first, customer first, preview, disposition, dial retries) built from each
 * service's options. docs/engine.md describes every scenario and reason.
 *
 * <p>Thread-safety: every decision is taken under one lock; reports to the {@link
 * CallbackReporter} and events to agents' listeners are never made under it but handed, in the order
 * decided, to a serial queue that runs on the timer executor. A report answered with "no longer
 * active" drops the callback and frees its agent. Timers carry the phase they were set in and are
 * ignored when the callback has moved on.
 *
 * <p>In a cluster ({@link SharedQueues} given, docs/cluster.md) the callbacks waiting for an agent
 * form one queue across the nodes, kept in the database: a callback entering its queue is published
 * there; it leaves only by a claim, by its own node (before ending or holding it) or by a node whose
 * agent is free (which then holds it; the former holder is told and forgets it). Free agents claim
 * the first callback they serve, cluster-wide, when told that one entered a queue ({@code NOTIFY}),
 * when they become free, and every {@link #SAFETY_POLL} in case a notification was lost. Positions
 * and EWT are computed from the database and from the agents every node publishes. Callbacks whose
 * customer is on the line (customer first) stay with the node that dialed them.
 *
 * <p>This class is the facade ({@link ExecutionEngine}, {@link AgentDesk}) and owns the lock; the
 * work is done by package-private collaborators, all used under that lock: {@link JobMachine} (every
 * transition of the scenarios, kept together), {@link VirtualQueues}, {@link AgentPool} (agents and
 * EWT), {@link JobTimers}, and in a cluster {@link ClusterCoordinator}.
 *
 * <p>Why this file is long: as the facade it owns the lock and takes every entry point (engine SPI,
 * agent desk, timers, cluster notifications) under it; the decisions themselves are in the
 * collaborators above.
 */
public final class BuiltinEngine implements ExecutionEngine, AgentDesk {
  private static final Logger LOG = LoggerFactory.getLogger(BuiltinEngine.class);
  /** How often simulated agents are matched with {@code engine.agents} and queues are looked at again. */
  static final Duration TICK = Duration.ofSeconds(1);
  /** Handle times kept per queue for the EWT. */
  static final int HANDLE_SAMPLES = 20;
  static final String SIMULATED_PREFIX = "sim-";
  /** The disposition a simulated agent gives. */
  static final String SIMULATED_DISPOSITION = "completed";
  /** Cluster mode: how often free agents look for work and held callbacks are checked anyway. */
  static final Duration SAFETY_POLL = Duration.ofSeconds(5);

  private final Supplier<Configuration> config;
  private final Clock clock;
  private final SerialExecutor outbox;
  /** The scenarios: every transition of the callbacks held; used under lock. */
  private final JobMachine machine;
  final Object lock = new Object();
  /** The agents and the EWT; guarded by lock. */
  final AgentPool agents;
  /** Cluster mode: the queues shared with the other nodes; null on a single node. */
  private final SharedQueues shared;
  /** Cluster mode: claims work for free agents and keeps the shared queues; null on a single node. */
  private final ClusterCoordinator cluster;

  // guarded by lock. Bound: the active callbacks given to this engine; removed when they end or leave
  final Map<String, Job> jobs = new HashMap<>();
  private final VirtualQueues queues = new VirtualQueues();
  boolean closed;
  /**
   * Cluster mode: the node is fenced (its lease may be taken over, docs/cluster.md): the engine holds
   * nothing and takes nothing until {@link #resume}. Guarded by lock; read without it by the claim pass.
   */
  volatile boolean suspended;
  private final ScheduledFuture<?> tick;
  private final List<ScheduledFuture<?>> clusterTimers = new ArrayList<>();

  /**
   * An engine with the {@link SimulatedDialer}.
   *
   * @param config the configuration in force; the {@code engine} section is read on each use
   * @param reporter where states are reported
   * @param clock time stamps, queue ages and expiry
   * @param timers runs every delay of the engine and its reports; the engine never sleeps
   */
  public BuiltinEngine(
      Supplier<Configuration> config, CallbackReporter reporter, Clock clock, ScheduledExecutorService timers) {
    this(config, reporter, clock, timers, new SimulatedDialer(config, timers));
  }

  public BuiltinEngine(
      Supplier<Configuration> config,
      CallbackReporter reporter,
      Clock clock,
      ScheduledExecutorService timers,
      Dialer dialer) {
    this(config, reporter, clock, timers, dialer, service -> false);
  }

  /**
   * @param paused whether a service is paused: its callbacks waiting in queue are taken out and
   *     reported PAUSED (checked every {@link #TICK}), and back to QUEUED when it resumes
   */
  public BuiltinEngine(
      Supplier<Configuration> config,
      CallbackReporter reporter,
      Clock clock,
      ScheduledExecutorService timers,
      Dialer dialer,
      Predicate<String> paused) {
    this(config, reporter, clock, timers, dialer, paused, null);
  }

  /**
   * @param shared cluster mode: the queues shared with the other nodes; null on a single node
   */
  public BuiltinEngine(
      Supplier<Configuration> config,
      CallbackReporter reporter,
      Clock clock,
      ScheduledExecutorService timers,
      Dialer dialer,
      Predicate<String> paused,
      SharedQueues shared) {
    this.config = config;
    this.shared = shared;
    EngineSettings.Reader settings = new EngineSettings.Reader(config);
    this.agents = new AgentPool(settings, clock, shared != null);
    this.clock = clock;
    this.outbox = new SerialExecutor(timers);
    JobTimers jobTimers = new JobTimers(timers, this::actQuietly, job -> jobs.get(job.id) == job);
    this.machine = new JobMachine(settings, config, reporter, clock, dialer, paused, outbox, jobTimers, agents, queues,
        jobs, shared, decision -> act(decision), this::actQuietly);
    this.cluster = shared == null ? null : new ClusterCoordinator(this, machine, shared, clock, outbox);
    machine.cluster(cluster);
    synchronized (lock) {
      machine.syncSimulatedAgents();
    }
    this.tick = timers.scheduleWithFixedDelay(
        () -> act(() -> {
          machine.syncSimulatedAgents();
          machine.applyPauses();
        }), TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    if (shared != null) {
      clusterTimers.add(timers.scheduleWithFixedDelay(cluster::exchangeAgents, 0, TICK.toMillis(), TimeUnit.MILLISECONDS));
      clusterTimers.add(timers.scheduleWithFixedDelay(cluster::safetyPoll,
          SAFETY_POLL.toMillis(), SAFETY_POLL.toMillis(), TimeUnit.MILLISECONDS));
    }
  }

  // ------------------------------------------------------------------ ExecutionEngine

  @Override
  public void submit(Callback callback, ServiceConfig service) {
    act(() -> {
      if (suspended) {
        // owned here in the store: given back on resume, or taken over by another node
        LOG.info("Callback {} not taken: this node is fenced", callback.id());
        return;
      }
      machine.take(callback, service);
    });
  }

  /**
   * Cluster mode, the node is fenced: every callback held is forgotten at once (dials hung up,
   * timers cancelled, agents told and freed), without a report (the database is out of reach or
   * another node owns them now), and nothing is taken until {@link #resume}.
   */
  public void suspend() {
    synchronized (lock) {
      suspended = true;
      for (Job job : new ArrayList<>(jobs.values())) {
        Agent agent = job.agent;
        job.published = false;
        machine.remove(job);
        if (agent != null) {
          Map<String, Object> data = AgentEvents.callbackData(job);
          data.put("reason", "NODE_FENCED");
          machine.tell(agent, AgentEvent.CANCELLED, data);
          machine.release(agent, AgentState.READY, null);
        }
      }
      LOG.warn("Built-in engine suspended: it holds no callback until the node holds its lease again");
    }
  }

  /** The node holds its lease again: the engine takes callbacks again (the caller recovers them). */
  public void resume() {
    synchronized (lock) {
      suspended = false;
    }
    LOG.info("Built-in engine resumed");
  }

  /**
   * After a restart: a QUEUED or ROUTING callback starts again from the queue (its call, if any,
   * was lost); a PROCESSING one had its customer talking to an agent and ends AGENT_CONNECTED.
   */
  @Override
  public void recover(Callback callback, ServiceConfig service) {
    if (suspended) {
      LOG.info("Callback {} not recovered: this node is fenced", callback.id());
      return;
    }
    if (callback.state() == CallbackState.PROCESSING) {
      outbox.execute(() -> machine.reportSafely(
          callback.id(), CallbackState.COMPLETED, CompletionReason.AGENT_CONNECTED.name(), Map.of()));
      return;
    }
    if (callback.state() == CallbackState.PAUSED) {
      act(() -> {
        machine.take(callback, service, CallbackState.PAUSED);
      });
      return;
    }
    if (callback.state() == CallbackState.QUEUED || callback.state() == CallbackState.ROUTING) {
      act(() -> {
        Job job = machine.take(callback, service);
        if (job != null && callback.state() == CallbackState.ROUTING) {
          job.reported = CallbackState.ROUTING;
          if (job.phase == Job.Phase.WAITING) {
            machine.report(job, CallbackState.QUEUED, null, Map.of());
          }
        }
      });
    }
  }

  @Override
  public void cancel(Callback callback) {
    boolean held = act(() -> {
      Job job = jobs.get(callback.id());
      if (job != null) {
        LOG.info("Callback {} cancelled in phase {}", job.id, job.phase);
        machine.drop(job);
        return true;
      }
      return false;
    });
    if (!held && shared != null) {
      // another node's engine may hold it: relayed through the database (NOTIFY)
      shared.tell("cancel " + callback.id());
    }
  }

  /**
   * Cluster mode: a message from another node's engine ({@link SharedQueues#tell}, {@code
   * NOTIFY}): {@code cancel ID} (a callback cancelled there, stop working on it), {@code moved ID
   * NODE} (another node claimed it for its agent), {@code queued SERVICE} (one entered a queue).
   */
  public void notified(String message) {
    if (cluster != null) {
      cluster.notified(message);
    }
  }

  /** Cluster mode: notifications may have been lost (the listening connection was lost). */
  public void resync() {
    if (cluster != null) {
      cluster.safetyPoll();
    }
  }

  @Override
  public Optional<QueuePosition> position(Callback callback) {
    if (shared == null) {
      return position(callback.id());
    }
    // cluster mode: the shared queue, whichever node holds the callback
    Optional<ServiceConfig> service = CallbackOptions.of(config.get(), callback);
    if (service.isEmpty()) {
      return Optional.empty();
    }
    String queue = Scenario.queueName(service.get());
    Optional<Integer> place = shared.position(callback.id(), clock.instant());
    if (place.isEmpty()) {
      // held but not waiting for an agent: being dialed, reserved, or between two attempts
      return Optional.of(new QueuePosition(queue, 0, Duration.ZERO));
    }
    synchronized (lock) {
      return Optional.of(new QueuePosition(queue, place.get(), agents.estimate(queue, callback.service(), place.get())));
    }
  }

  @Override
  public Optional<QueuePosition> position(String callbackId) {
    synchronized (lock) {
      Job job = jobs.get(callbackId);
      if (job == null) {
        return Optional.empty();
      }
      Optional<Integer> place = queues.position(job, clock.instant());
      if (place.isEmpty()) {
        // held but not waiting for an agent: being dialed, reserved, or between two attempts
        return Optional.of(new QueuePosition(job.scenario.queue(), 0, Duration.ZERO));
      }
      int position = place.get();
      return Optional.of(new QueuePosition(job.scenario.queue(), position, agents.estimate(job.scenario.queue(), job.service, position)));
    }
  }

  @Override
  public Duration ewt(ServiceConfig service) {
    String queue = Scenario.queueName(service);
    int waiting = shared == null ? -1 : shared.waiting(queue);
    synchronized (lock) {
      int position = (shared == null ? queues.size(queue) : waiting) + 1;
      return agents.estimate(queue, service.name(), position);
    }
  }

  /** How many callbacks wait for an agent in each virtual queue (a metric). */
  public Map<String, Integer> queueSizes() {
    synchronized (lock) {
      return queues.sizes();
    }
  }

  @Override
  public boolean pausesHeldCallbacks() {
    return true;
  }

  @Override
  public void close() {
    if (cluster != null) {
      cluster.close();
    }
    synchronized (lock) {
      closed = true;
      tick.cancel(false);
      clusterTimers.forEach(timer -> timer.cancel(false));
      for (Job job : new ArrayList<>(jobs.values())) {
        job.enter(Job.Phase.DONE);
        job.lifeTimers.forEach(timer -> timer.cancel(false));
        if (job.dialing != null) {
          job.dialing.hangUp();
        }
      }
      jobs.clear();
      queues.clear();
    }
  }

  // ------------------------------------------------------------------ AgentDesk

  @Override
  public List<AgentView> agents() {
    synchronized (lock) {
      return agents.all().stream().map(Agent::view).toList();
    }
  }

  @Override
  public AgentView agent(String agentId) {
    synchronized (lock) {
      return agents.known(agentId).view();
    }
  }

  @Override
  public AgentView login(String agentId, String name, List<String> services) {
    if (agentId == null || agentId.isBlank()) {
      throw CallbackException.invalidParameter("Agent id is missing");
    }
    return act(() -> {
      Agent agent = agents.get(agentId);
      if (agent != null && agent.simulated) {
        throw CallbackException.invalidOperation("Agent " + agentId + " is a simulated agent");
      }
      List<String> served = services == null ? List.of() : services.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
      String shown = name == null || name.isBlank() ? agentId : name;
      if (agent == null) {
        int max = EngineSettings.of(config.get()).maxAgents();
        if (!agents.roomForRealAgent(max)) {
          throw CallbackException.invalidOperation("Agent " + agentId + " cannot log in: " + max
              + " agents are known and none is logged out (engine max-agents)");
        }
        agent = new Agent(agentId, false, shown, served, AgentState.LOGGED_OUT, null, clock.instant());
        agents.add(agent);
      } else {
        agent.name = shown;
        agent.services = served;
      }
      if (!agent.isLoggedIn()) {
        machine.setState(agent, AgentState.NOT_READY, "LOGIN");
      }
      LOG.info("Agent {} logged in, serving {}", agentId, served.isEmpty() ? "every service" : served);
      return agent.view();
    });
  }

  @Override
  public AgentView ready(String agentId) {
    return act(() -> {
      Agent agent = agents.idleAgent(agentId, "ready");
      if (agent.state != AgentState.READY) {
        machine.setState(agent, AgentState.READY, null);
        agent.idleSince = clock.instant();
        machine.wantPull();
      }
      return agent.view();
    });
  }

  @Override
  public AgentView notReady(String agentId, String reason) {
    return act(() -> {
      Agent agent = agents.idleAgent(agentId, "notready");
      machine.setState(agent, AgentState.NOT_READY, reason == null || reason.isBlank() ? null : reason);
      return agent.view();
    });
  }

  @Override
  public AgentView logout(String agentId) {
    return act(() -> {
      Agent agent = agents.idleAgent(agentId, "logout");
      machine.setState(agent, AgentState.LOGGED_OUT, null);
      return agent.view();
    });
  }

  @Override
  public AgentView preview(String agentId, String callbackId, String action) {
    String verb = action == null ? "" : action.trim().toLowerCase(Locale.ROOT);
    if (!List.of("accept", "reject", "cancel").contains(verb)) {
      throw CallbackException.invalidParameter(
          "Preview action \"" + action + "\" is not one of accept, reject, cancel");
    }
    return act(() -> {
      Agent agent = agents.known(agentId);
      Job job = agent.job;
      if (job == null || !job.id.equals(callbackId) || job.phase != Job.Phase.PREVIEW) {
        throw CallbackException.invalidOperation(
            "Agent " + agentId + " has no preview of callback " + callbackId + " (agent " + agent.state + ")");
      }
      if (verb.equals("reject") && !JobMachine.rejectable(job)) {
        throw CallbackException.invalidOperation(job.scenario.allowReject() == 0
            ? "Callback " + callbackId + " cannot be rejected (_agent_preview_allow_reject is 0)"
            : "Callback " + callbackId + " cannot be rejected again: rejected " + job.rejects
                + " times, the number _agent_preview_allow_reject allows");
      }
      machine.answerPreview(job, verb);
      return agent.view();
    });
  }

  @Override
  public AgentView disposition(String agentId, String callbackId, String disposition, String notes) {
    if (disposition == null || disposition.isBlank()) {
      throw CallbackException.invalidParameter("Disposition is missing");
    }
    return act(() -> {
      Agent agent = agents.known(agentId);
      if (agent.state != AgentState.AFTER_CALL || agent.wrapUp == null || !agent.wrapUp.id.equals(callbackId)) {
        throw CallbackException.invalidOperation(
            "Agent " + agentId + " has no disposition to give for callback " + callbackId + " (agent " + agent.state + ")");
      }
      machine.saveDisposition(agent.wrapUp, disposition, notes);
      machine.endWrapUp(agent);
      return agent.view();
    });
  }

  @Override
  public AgentView hangUp(String agentId) {
    return act(() -> {
      Agent agent = agents.known(agentId);
      if (agent.job == null || agent.job.phase != Job.Phase.CONNECTED) {
        throw CallbackException.invalidOperation("Agent " + agentId + " is not on a call (agent " + agent.state + ")");
      }
      machine.callEnded(agent.job);
      return agent.view();
    });
  }

  @Override
  public Runnable subscribe(String agentId, Consumer<AgentEvent> listener) {
    synchronized (lock) {
      Agent agent = agents.known(agentId);
      agent.listeners.add(listener);
      return () -> agent.listeners.remove(listener);
    }
  }

  // ------------------------------------------------------------------ plumbing

  /** Runs a decision under the lock, then gives free agents their next callbacks. */
  private void act(Runnable decision) {
    act(() -> {
      decision.run();
      return null;
    });
  }

  private <T> T act(Supplier<T> decision) {
    synchronized (lock) {
      if (closed) {
        throw new org.opencallback.engine.EngineException("the built-in engine is closed");
      }
      T result = decision.get();
      machine.match();
      return result;
    }
  }

  /** Runs a decision under the lock unless the engine is closed, then gives free agents their next callbacks. */
  void actQuietly(Runnable decision) {
    synchronized (lock) {
      if (!closed) {
        act(decision);
      }
    }
  }
}

package org.opencallback.engine.builtin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.dispatch.CallbackReporter;
import org.opencallback.dispatch.ExecutionEngine;
import org.opencallback.dispatch.QueuePosition;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.opencallback.domain.ErrorCode;
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
 * <p>This class is longer than most: it is the state machine, kept in one place so that every
 * transition can be read together.
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

  private final EngineSettings.Reader settings;
  private final Supplier<Configuration> config;
  private final CallbackReporter reporter;
  private final Clock clock;
  private final ScheduledExecutorService timers;
  private final Dialer dialer;
  private final Predicate<String> paused;
  private final SerialExecutor outbox;
  /** The timers of callbacks and agents, run under the lock. */
  private final JobTimers jobTimers;
  final Object lock = new Object();
  /** The agents and the EWT; guarded by lock. */
  final AgentPool agents;
  /** Cluster mode: the queues shared with the other nodes; null on a single node. */
  private final SharedQueues shared;
  /** Cluster mode: claims work for free agents and keeps the shared queues; null on a single node. */
  private final ClusterCoordinator cluster;

  // guarded by lock
  final Map<String, Job> jobs = new HashMap<>();
  private final VirtualQueues queues = new VirtualQueues();
  private long sequence;
  boolean closed;
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
    this.paused = paused;
    this.settings = new EngineSettings.Reader(config);
    this.agents = new AgentPool(settings, clock, shared != null);
    this.reporter = reporter;
    this.clock = clock;
    this.timers = timers;
    this.dialer = dialer;
    this.outbox = new SerialExecutor(timers);
    this.jobTimers = new JobTimers(timers, this::actQuietly, job -> jobs.get(job.id) == job);
    this.cluster = shared == null ? null : new ClusterCoordinator(this, shared, clock, outbox);
    synchronized (lock) {
      syncSimulatedAgents();
    }
    this.tick = timers.scheduleWithFixedDelay(
        () -> act(() -> {
          syncSimulatedAgents();
          applyPauses();
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
    act(() -> take(callback, service));
  }

  /**
   * After a restart: a QUEUED or ROUTING callback starts again from the queue (its call, if any,
   * was lost); a PROCESSING one had its customer talking to an agent and ends AGENT_CONNECTED.
   */
  @Override
  public void recover(Callback callback, ServiceConfig service) {
    if (callback.state() == CallbackState.PROCESSING) {
      outbox.execute(() -> reportSafely(
          callback.id(), CallbackState.COMPLETED, CompletionReason.AGENT_CONNECTED.name(), Map.of()));
      return;
    }
    if (callback.state() == CallbackState.PAUSED) {
      act(() -> {
        take(callback, service, CallbackState.PAUSED);
      });
      return;
    }
    if (callback.state() == CallbackState.QUEUED || callback.state() == CallbackState.ROUTING) {
      act(() -> {
        Job job = take(callback, service);
        if (job != null && callback.state() == CallbackState.ROUTING) {
          job.reported = CallbackState.ROUTING;
          if (job.phase == Job.Phase.WAITING) {
            report(job, CallbackState.QUEUED, null, Map.of());
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
        drop(job);
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
    Optional<ServiceConfig> service = config.get().service(callback.service());
    if (service.isEmpty()) {
      return Optional.empty();
    }
    String queue = Scenario.queueName(service.get(), callback.properties());
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
    String queue = Scenario.queueName(service, Map.of());
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
        agent = new Agent(agentId, false, shown, served, AgentState.LOGGED_OUT, null, clock.instant());
        agents.add(agent);
      } else {
        agent.name = shown;
        agent.services = served;
      }
      if (!agent.isLoggedIn()) {
        setState(agent, AgentState.NOT_READY, "LOGIN");
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
        setState(agent, AgentState.READY, null);
        agent.idleSince = clock.instant();
        wantPull();
      }
      return agent.view();
    });
  }

  @Override
  public AgentView notReady(String agentId, String reason) {
    return act(() -> {
      Agent agent = agents.idleAgent(agentId, "notready");
      setState(agent, AgentState.NOT_READY, reason == null || reason.isBlank() ? null : reason);
      return agent.view();
    });
  }

  @Override
  public AgentView logout(String agentId) {
    return act(() -> {
      Agent agent = agents.idleAgent(agentId, "logout");
      setState(agent, AgentState.LOGGED_OUT, null);
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
      if (verb.equals("reject") && job.scenario.allowReject() == 0) {
        throw CallbackException.invalidOperation(
            "Callback " + callbackId + " cannot be rejected (_agent_preview_allow_reject is 0)");
      }
      answerPreview(job, verb);
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
      saveDisposition(agent.wrapUp, disposition, notes);
      endWrapUp(agent);
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
      callEnded(agent.job);
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

  // ------------------------------------------------------------------ the scenarios

  /** Takes a callback in; null when it was already held. */
  private Job take(Callback callback, ServiceConfig service) {
    return take(callback, service, CallbackState.QUEUED);
  }

  /** Takes a callback in, last reported in {@code reported}; null when it was already held. */
  private Job take(Callback callback, ServiceConfig service, CallbackState reported) {
    Job job = admit(callback, service, reported, clock.instant());
    if (job != null && job.phase != Job.Phase.DONE) {
      begin(job);
    }
    return job;
  }

  /**
   * Holds a callback, queued since {@code queuedAt}, with its life timers, without starting its
   * scenario; null when it was already held. Ends it at once when it has no number.
   */
  private Job admit(Callback callback, ServiceConfig service, CallbackState reported, Instant queuedAt) {
    if (jobs.containsKey(callback.id())) {
      return null;
    }
    Instant now = clock.instant();
    Scenario scenario = Scenario.of(service, callback.properties());
    Job job = new Job(callback.id(), callback.service(), callback.customerNumber(), callback.properties(),
        scenario, queuedAt, callback.expirationTime(), sequence++);
    job.reported = reported;
    jobs.put(job.id, job);
    if (job.number == null || job.number.isBlank()) {
      finish(job, CompletionReason.FAIL_NO_CUSTOMER_NUMBER.name());
      return job;
    }
    job.lifeTimers.add(jobTimers.schedule(Duration.between(now, job.expiresAt), () -> jobTimers.lifeTimer(job, () -> {
      if (job.phase != Job.Phase.CONNECTED) {
        finish(job, CompletionReason.FAIL_TIMEOUT_TTL.name());
      }
    })));
    job.lifeTimers.add(jobTimers.schedule(Duration.between(now, queuedAt.plus(scenario.queuedTtl())), () -> jobTimers.lifeTimer(job, () -> {
      if (job.agent == null) {
        finish(job, CompletionReason.FAIL_TARGET_NOT_FOUND.name());
      }
    })));
    return job;
  }

  /** Starts (or starts again) the scenario: into the queue, or dial the customer first. */
  private void begin(Job job) {
    if (paused.test(job.service)) {
      hold(job);
      return;
    }
    if (job.reported == CallbackState.PAUSED) {
      LOG.info("Callback {} resumed", job.id);
      report(job, CallbackState.QUEUED, null, Map.of());
    }
    if (job.scenario.waitForAgent()) {
      enqueue(job);
    } else {
      dial(job);
    }
  }

  /** Its service is paused: out of the queue, PAUSED until {@link #applyPauses} lets it go. */
  private void hold(Job job) {
    if (!leaveSharedQueue(job)) {
      return;
    }
    queues.remove(job);
    job.enter(Job.Phase.PAUSED);
    if (job.reported != CallbackState.PAUSED) {
      report(job, CallbackState.PAUSED, null, Map.of());
    }
  }

  /** Holds waiting callbacks of paused services; lets held ones of resumed services go on. */
  private void applyPauses() {
    for (Job job : new ArrayList<>(jobs.values())) {
      boolean isPaused = paused.test(job.service);
      if (isPaused && job.phase == Job.Phase.WAITING) {
        hold(job);
      } else if (!isPaused && job.phase == Job.Phase.PAUSED) {
        begin(job);
      }
    }
  }

  /** Into the virtual queue to wait for an agent (agent first). */
  private void enqueue(Job job) {
    if (paused.test(job.service)) {
      hold(job);
      return;
    }
    job.enter(Job.Phase.WAITING);
    if (!clock.instant().isBefore(job.queuedAt.plus(job.scenario.queuedTtl()))) {
      finish(job, CompletionReason.FAIL_TARGET_NOT_FOUND.name());
      return;
    }
    queues.add(job);
    if (job.reported != CallbackState.QUEUED) {
      report(job, CallbackState.QUEUED, null, Map.of());
    }
    if (cluster != null) {
      cluster.publish(job);
    }
  }

  /**
   * Cluster mode: before a waiting callback leaves its queue (to end or be held), it is claimed back
   * from the shared queue. False when another node's agent claimed it first: it is forgotten here.
   */
  private boolean leaveSharedQueue(Job job) {
    return cluster == null || cluster.leaveSharedQueue(job);
  }

  /** Gives waiting callbacks, best first, to free agents that serve them. */
  private void match() {
    List<Agent> free = agents.free();
    if (free.isEmpty()) {
      return;
    }
    List<Job> waiting = queues.all();
    if (shared != null) {
      // cluster mode: callbacks waiting for an agent are claimed from the shared queue (pull);
      // only those whose customer is on the line here are matched here
      waiting.removeIf(job -> job.phase == Job.Phase.WAITING);
    }
    waiting.sort(Job.order(clock.instant()));
    for (Job job : waiting) {
      if (job.phase == Job.Phase.WAITING && paused.test(job.service)) {
        continue; // held at the next tick
      }
      // an agent that has not let this callback go before comes first
      Agent chosen = null;
      for (Agent agent : free) {
        if (!agent.serves(job.service)) {
          continue;
        }
        if (!job.declinedBy.contains(agent.id)) {
          chosen = agent;
          break;
        }
        if (chosen == null) {
          chosen = agent;
        }
      }
      if (chosen != null) {
        free.remove(chosen);
        assign(job, chosen);
        if (free.isEmpty()) {
          return;
        }
      }
    }
    if (cluster != null) {
      cluster.pullIfWanted();
    }
  }

  private void assign(Job job, Agent agent) {
    queues.remove(job);
    job.agent = agent;
    agent.job = job;
    agent.reservedAt = clock.instant();
    if (job.phase == Job.Phase.CUSTOMER_WAITING) {
      connect(job);
      return;
    }
    job.enter(Job.Phase.RESERVED);
    setState(agent, AgentState.RESERVED, null);
    report(job, CallbackState.ROUTING, null, Map.of());
    if (job.scenario.preview()) {
      invite(job);
    } else {
      dial(job);
    }
  }

  private void invite(Job job) {
    job.enter(Job.Phase.PREVIEW);
    Agent agent = job.agent;
    List<String> actions = new ArrayList<>(List.of("accept"));
    if (job.scenario.allowReject() > 0) {
      actions.add("reject");
    }
    actions.add("cancel");
    Map<String, Object> data = AgentEvents.callbackData(job);
    data.put("userData", AgentEvents.previewData(job));
    data.put("actions", actions);
    data.put("timeout", AgentEvents.seconds(job.scenario.previewTimeout()));
    data.put("rejects", job.rejects);
    data.put("allowedRejects", job.scenario.allowReject());
    tell(agent, AgentEvent.INVITATION, data);
    jobTimers.after(job, job.scenario.previewTimeout(), () -> previewTimedOut(job));
    if (agent.simulated) {
      int epoch = job.epoch;
      jobTimers.later(() -> {
        if (jobs.get(job.id) == job && job.epoch == epoch) {
          answerPreview(job, "accept");
        }
      });
    }
  }

  private void answerPreview(Job job, String verb) {
    switch (verb) {
      case "accept":
        dial(job);
        break;
      case "cancel":
        finish(job, CompletionReason.AGENT_PREVIEW_CANCEL.name());
        break;
      default:
        job.rejects++;
        if (job.rejects >= job.scenario.allowReject()) {
          finish(job, CompletionReason.afterRejects(job.scenario.allowReject()));
        } else {
          Agent agent = job.agent;
          job.declinedBy.add(agent.id);
          giveBack(job, "rejected", AgentState.READY, null);
        }
    }
  }

  private void previewTimedOut(Job job) {
    Agent agent = job.agent;
    job.declinedBy.add(agent.id);
    boolean notReady = job.scenario.previewTimeoutSetsNotReady();
    giveBack(job, "preview_timeout", notReady ? AgentState.NOT_READY : AgentState.READY,
        notReady ? job.scenario.notReadyReason() : null);
  }

  /** The reserved agent lets the callback go: it goes back into its queue for another agent. */
  private void giveBack(Job job, String result, AgentState agentState, String reason) {
    Agent agent = job.agent;
    job.agent = null;
    tell(agent, AgentEvent.ENDED, AgentEvents.result(job, result));
    release(agent, agentState, reason);
    Duration wait = job.scenario.rejectRetry();
    if (wait.isZero()) {
      enqueue(job);
    } else {
      job.enter(Job.Phase.RETRY_WAIT);
      report(job, CallbackState.QUEUED, null, Map.of());
      jobTimers.after(job, wait, () -> enqueue(job));
    }
  }

  private void dial(Job job) {
    job.enter(Job.Phase.DIALING);
    job.attempts++;
    int epoch = job.epoch;
    job.dialing = dialer.dial(job.id, job.number, outcome -> actQuietly(() -> {
      if (jobs.get(job.id) == job && job.epoch == epoch) {
        job.dialing = null;
        dialed(job, outcome);
      }
    }));
  }

  private void dialed(Job job, DialOutcome outcome) {
    switch (outcome) {
      case ANSWER:
        if (job.agent != null) {
          connect(job);
        } else {
          customerWaits(job);
        }
        break;
      case ANSWERING_MACHINE:
        finish(job, CompletionReason.ANSWERING_MACHINE.name());
        break;
      case FAX:
        finish(job, CompletionReason.FAIL_FAX.name());
        break;
      default:
        if (job.attempts >= job.scenario.maxDialAttempts()) {
          finish(job, CompletionReason.FAIL_CALL_TO_CUSTOMER.name());
          return;
        }
        LOG.debug("Callback {}: dial attempt {} {}, next in {}", job.id, job.attempts, outcome, job.scenario.dialRetry());
        Agent agent = job.agent;
        if (agent != null) {
          job.agent = null;
          tell(agent, AgentEvent.ENDED, AgentEvents.result(job, outcome.configName()));
          release(agent, AgentState.READY, null);
        }
        job.enter(Job.Phase.RETRY_WAIT);
        if (job.reported != CallbackState.QUEUED) {
          report(job, CallbackState.QUEUED, null, Map.of());
        }
        jobTimers.after(job, job.scenario.dialRetry(), () -> begin(job));
    }
  }

  /** Customer first: the customer is on the line and waits in the queue for an agent. */
  private void customerWaits(Job job) {
    job.enter(Job.Phase.CUSTOMER_WAITING);
    report(job, CallbackState.ROUTING, null, Map.of());
    queues.add(job);
    jobTimers.after(job, job.scenario.maxWaitOnCall(), () -> finish(job, CompletionReason.FAIL_AGENT_CONNECT.name()));
    settings.get().customerPatience().ifPresent(patience ->
        jobTimers.after(job, patience, () -> finish(job, CompletionReason.ABANDONED_IN_QUEUE.name())));
  }

  private void connect(Job job) {
    job.enter(Job.Phase.CONNECTED);
    Agent agent = job.agent;
    setState(agent, AgentState.BUSY, null);
    report(job, CallbackState.PROCESSING, null, Map.of());
    Map<String, Object> data = AgentEvents.callbackData(job);
    data.put("userData", AgentEvents.userData(job));
    tell(agent, AgentEvent.CONNECTED, data);
    jobTimers.after(job, settings.get().talkTime(), () -> callEnded(job));
  }

  private void callEnded(Job job) {
    Agent agent = job.agent;
    remove(job);
    report(job, CallbackState.COMPLETED, CompletionReason.AGENT_CONNECTED.name(), Map.of());
    tell(agent, AgentEvent.ENDED, AgentEvents.result(job, CompletionReason.AGENT_CONNECTED.name()));
    agent.job = null;
    if (!job.scenario.disposition()) {
      agents.recordHandleTime(job, agent);
      release(agent, AgentState.READY, null);
      return;
    }
    agent.wrapUp = job;
    setState(agent, AgentState.AFTER_CALL, null);
    Map<String, Object> data = AgentEvents.callbackData(job);
    data.put("timeout", AgentEvents.seconds(job.scenario.dispositionTimeout()));
    tell(agent, AgentEvent.DISPOSITION, data);
    agent.wrapUpTimer = jobTimers.schedule(job.scenario.dispositionTimeout(), () -> act(() -> {
      if (agent.wrapUp == job) {
        LOG.info("Agent {} gave no disposition for callback {} in time", agent.id, job.id);
        endWrapUp(agent);
      }
    }));
    if (agent.simulated) {
      jobTimers.later(() -> {
        if (agent.wrapUp == job) {
          saveDisposition(job, SIMULATED_DISPOSITION, null);
          endWrapUp(agent);
        }
      });
    }
  }

  private void saveDisposition(Job job, String disposition, String notes) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put("_disposition", disposition);
    if (notes != null && !notes.isBlank()) {
      properties.put("_disposition_notes", notes);
    }
    report(job, CallbackState.COMPLETED, CompletionReason.AGENT_CONNECTED.name(), properties);
  }

  private void endWrapUp(Agent agent) {
    if (agent.wrapUpTimer != null) {
      agent.wrapUpTimer.cancel(false);
      agent.wrapUpTimer = null;
    }
    agents.recordHandleTime(agent.wrapUp, agent);
    agent.wrapUp = null;
    release(agent, AgentState.READY, null);
  }

  /** Ends a callback with a reason; its agent, if any, is told and freed. */
  private void finish(Job job, String reason) {
    if (!leaveSharedQueue(job)) {
      return;
    }
    Agent agent = job.agent;
    remove(job);
    report(job, CallbackState.COMPLETED, reason, Map.of());
    LOG.info("Callback {} completed: {}", job.id, reason);
    if (agent != null) {
      tell(agent, AgentEvent.ENDED, AgentEvents.result(job, reason));
      agent.job = null;
      release(agent, AgentState.READY, null);
    }
  }

  /** Forgets a callback that is no longer active (cancelled, or gone from the store). */
  void drop(Job job) {
    Agent agent = job.agent;
    if (job.published) {
      job.published = false;
      outbox.execute(() -> shared.withdraw(job.id)); // tidy only: a completed callback is never claimed
    }
    remove(job);
    if (agent != null) {
      Map<String, Object> data = AgentEvents.callbackData(job);
      data.put("reason", CompletionReason.CANCELLED.name());
      tell(agent, AgentEvent.CANCELLED, data);
      agent.job = null;
      release(agent, AgentState.READY, null);
    }
  }

  void remove(Job job) {
    jobs.remove(job.id);
    queues.remove(job);
    job.enter(Job.Phase.DONE);
    job.lifeTimers.forEach(timer -> timer.cancel(false));
    job.lifeTimers.clear();
    if (job.dialing != null) {
      job.dialing.hangUp();
      job.dialing = null;
    }
  }

  /** An agent done with a callback; a logged-out or not-ready agent stays so. */
  private void release(Agent agent, AgentState next, String reason) {
    agent.job = null;
    agent.idleSince = clock.instant();
    wantPull();
    if (agent.state == AgentState.LOGGED_OUT) {
      return;
    }
    setState(agent, next, reason);
  }

  // ------------------------------------------------------------------ cluster mode

  /** A callback claimed for {@code agent}: given to it if it is still free, else queued here. */
  void adopt(String id, Instant since, Optional<Callback> stored, Agent agent) {
    Job job = jobs.get(id);
    if (job == null) {
      if (stored.isEmpty() || stored.get().state() != CallbackState.QUEUED) {
        return; // gone or ended meanwhile (a cancel)
      }
      Callback callback = stored.get();
      Optional<ServiceConfig> service = config.get().service(callback.service());
      if (service.isEmpty()) {
        LOG.warn("Callback {} claimed for service {}, which this node does not know", callback.id(), callback.service());
        return;
      }
      job = admit(callback, service.get(), CallbackState.QUEUED, since);
      if (job == null || job.phase == Job.Phase.DONE) {
        return;
      }
    } else if (job.phase != Job.Phase.WAITING) {
      return;
    }
    job.published = false;
    queues.remove(job);
    if (paused.test(job.service)) {
      hold(job);
    } else if (agents.get(agent.id) == agent && agent.isFree() && agent.serves(job.service)) {
      assign(job, agent);
    } else {
      enqueue(job);
    }
  }

  // ------------------------------------------------------------------ agents

  /** Cluster mode: free agents should look for work in the shared queues. */
  private void wantPull() {
    if (cluster != null) {
      cluster.wantPull();
    }
  }

  /** Adds simulated agents up to {@code engine.agents}; removes extra ones once they are idle. */
  private void syncSimulatedAgents() {
    if (agents.syncSimulatedAgents()) {
      wantPull();
    }
  }

  private void setState(Agent agent, AgentState state, String reason) {
    boolean changed = agent.state != state || !java.util.Objects.equals(agent.reason, reason);
    agent.state = state;
    agent.reason = reason;
    if (changed) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("agent", agent.id);
      data.put("state", state.name());
      data.put("reason", reason);
      tell(agent, AgentEvent.STATE, data);
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
        throw new org.opencallback.dispatch.EngineException("the built-in engine is closed");
      }
      T result = decision.get();
      match();
      return result;
    }
  }

  void actQuietly(Runnable decision) {
    synchronized (lock) {
      if (!closed) {
        act(decision);
      }
    }
  }

  /** Reports in the order decided, outside the lock; a callback no longer active is dropped. */
  private void report(Job job, CallbackState state, String reason, Map<String, Object> properties) {
    job.reported = state;
    outbox.execute(() -> {
      Optional<Callback> stored = reportSafely(job.id, state, reason, properties);
      if (stored != null && stored.isEmpty() && state != CallbackState.COMPLETED) {
        actQuietly(() -> {
          if (jobs.get(job.id) == job) {
            LOG.info("Callback {} is no longer active: dropped", job.id);
            drop(job);
          }
        });
      }
    });
  }

  /** The reporter's answer, or null when it failed (logged). */
  private Optional<Callback> reportSafely(String id, CallbackState state, String reason, Map<String, Object> properties) {
    try {
      return reporter.report(id, state, reason, properties);
    } catch (RuntimeException e) {
      LOG.error("Report of {} {} for callback {} failed", state, reason == null ? "" : reason, id, e);
      return null;
    }
  }

  private void tell(Agent agent, String type, Map<String, Object> data) {
    if (agent.listeners.isEmpty()) {
      return;
    }
    AgentEvent event = new AgentEvent(type, data);
    outbox.execute(() -> {
      for (Consumer<AgentEvent> listener : agent.listeners) {
        try {
          listener.accept(event);
        } catch (RuntimeException e) {
          LOG.warn("Event {} to agent {} could not be delivered: {}", type, agent.id, e.toString());
        }
      }
    });
  }


}

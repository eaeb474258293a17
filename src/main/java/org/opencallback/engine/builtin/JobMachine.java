package org.opencallback.engine.builtin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.opencallback.engine.CallbackOptions;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.opencallback.domain.ServerState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The GMS scenarios of the {@link BuiltinEngine} as a state machine over the callbacks it holds
 * ({@link Job}): queueing, matching with agents, preview, dialing and its retries, talk, wrap-up and
 * disposition, and the end of each; docs/engine.md describes them. Every transition is decided here,
 * together, so that they can be read together; reports and agent events leave through the serial
 * outbox in the order decided. Not thread-safe: called only under the engine's lock (its timers and
 * callbacks come back through {@code act}/{@code actQuietly}, which take it).
 *
 * <p>Why this file is long: it is the one place where a scenario's transitions are decided, and they
 * depend on each other (a preview timeout, a dial failure and a disposition all end the same job).
 * Queues, agents, timers and the cluster are already its collaborators ({@link VirtualQueues},
 * {@link AgentPool}, {@link JobTimers}, {@link ClusterCoordinator}).
 */
final class JobMachine {
  /** Logged as the engine, as before this class was split from it. */
  private static final Logger LOG = LoggerFactory.getLogger(BuiltinEngine.class);

  private final EngineSettings.Reader settings;
  private final Supplier<Configuration> config;
  private final CallbackReporter reporter;
  private final Clock clock;
  private final Dialer dialer;
  private final Predicate<String> paused;
  private final SerialExecutor outbox;
  private final JobTimers jobTimers;
  private final AgentPool agents;
  private final VirtualQueues queues;
  private final Map<String, Job> jobs;
  /** Cluster mode: the queues shared with the other nodes; null on a single node. */
  private final SharedQueues shared;
  /** Runs a decision under the engine's lock (failing when it is closed), then matches. */
  private final Consumer<Runnable> act;
  /** Runs a decision under the engine's lock unless it is closed, then matches. */
  private final Consumer<Runnable> actQuietly;
  /** Cluster mode: set once, while the engine is built; null on a single node. */
  private ClusterCoordinator cluster;
  private long sequence;

  JobMachine(
      EngineSettings.Reader settings,
      Supplier<Configuration> config,
      CallbackReporter reporter,
      Clock clock,
      Dialer dialer,
      Predicate<String> paused,
      SerialExecutor outbox,
      JobTimers jobTimers,
      AgentPool agents,
      VirtualQueues queues,
      Map<String, Job> jobs,
      SharedQueues shared,
      Consumer<Runnable> act,
      Consumer<Runnable> actQuietly) {
    this.settings = settings;
    this.config = config;
    this.reporter = reporter;
    this.clock = clock;
    this.dialer = dialer;
    this.paused = paused;
    this.outbox = outbox;
    this.jobTimers = jobTimers;
    this.agents = agents;
    this.queues = queues;
    this.jobs = jobs;
    this.shared = shared;
    this.act = act;
    this.actQuietly = actQuietly;
  }

  /** Cluster mode: the coordinator, set once while the engine is built. */
  void cluster(ClusterCoordinator coordinator) {
    this.cluster = coordinator;
  }

  // ------------------------------------------------------------------ the scenarios

  /** Takes a callback in; null when it was already held. */
  Job take(Callback callback, ServiceConfig service) {
    return take(callback, service, CallbackState.QUEUED);
  }

  /** Takes a callback in, last reported in {@code reported}; null when it was already held. */
  Job take(Callback callback, ServiceConfig service, CallbackState reported) {
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
  Job admit(Callback callback, ServiceConfig service, CallbackState reported, Instant queuedAt) {
    if (jobs.containsKey(callback.id())) {
      return null;
    }
    Instant now = clock.instant();
    Scenario scenario = Scenario.of(service);
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
  void begin(Job job) {
    if (paused.test(job.service)) {
      hold(job);
      return;
    }
    if (job.reported == CallbackState.PAUSED) {
      LOG.info("Callback {} resumed", job.id);
      report(job, CallbackState.QUEUED, null, Map.of());
    }
    if (job.scenario.waitForAgent() || !settings.get().simulated()) {
      // without simulation there is no dialer: an agent must take the callback and call the customer
      enqueue(job);
    } else {
      dial(job);
    }
  }

  /** Its service is paused: out of the queue, PAUSED until {@link #applyPauses} lets it go. */
  void hold(Job job) {
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
  void applyPauses() {
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
  void enqueue(Job job) {
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
  boolean leaveSharedQueue(Job job) {
    return cluster == null || cluster.leaveSharedQueue(job);
  }

  /** Gives waiting callbacks, best first, to free agents that serve them. */
  void match() {
    List<Agent> free = agents.free();
    if (free.isEmpty()) {
      return;
    }
    // cluster mode: callbacks waiting for an agent are claimed from the shared queue (pull);
    // only those whose customer is on the line here are matched here
    List<Job> waiting = shared == null ? queues.all() : queues.all(job -> job.phase != Job.Phase.WAITING);
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

  void assign(Job job, Agent agent) {
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

  void invite(Job job) {
    job.enter(Job.Phase.PREVIEW);
    Agent agent = job.agent;
    List<String> actions = new ArrayList<>(List.of("accept"));
    // GMS: the reject button is offered until the allowed number of rejects is reached; the next
    // agent gets no reject button
    if (rejectable(job)) {
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

  void answerPreview(Job job, String verb) {
    switch (verb) {
      case "accept":
        dial(job);
        break;
      case "cancel":
        // a cancel once the rejects ran out says so: AGENT_PREVIEW_CANCEL_AFTER_<n>REJECTS
        boolean afterRejects = job.scenario.allowReject() > 0 && job.rejects >= job.scenario.allowReject();
        finish(job, afterRejects
            ? CompletionReason.afterRejects(job.scenario.allowReject()) : CompletionReason.AGENT_PREVIEW_CANCEL.name());
        break;
      default:
        job.rejects++;
        job.declinedBy.add(job.agent.id);
        giveBack(job, "rejected", AgentState.READY, null);
    }
  }

  /** Whether the agent previewing the job may still reject it ({@code _agent_preview_allow_reject}). */
  static boolean rejectable(Job job) {
    return job.rejects < job.scenario.allowReject();
  }

  void previewTimedOut(Job job) {
    Agent agent = job.agent;
    job.declinedBy.add(agent.id);
    boolean notReady = job.scenario.previewTimeoutSetsNotReady();
    giveBack(job, "preview_timeout", notReady ? AgentState.NOT_READY : AgentState.READY,
        notReady ? job.scenario.notReadyReason() : null);
  }

  /** The reserved agent lets the callback go: it goes back into its queue for another agent. */
  void giveBack(Job job, String result, AgentState agentState, String reason) {
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

  void dial(Job job) {
    job.enter(Job.Phase.DIALING);
    job.attempts++;
    if (!settings.get().simulated() && job.agent != null) {
      // no telephone without simulation: the agent calls the customer from their own phone
      dialed(job, DialOutcome.ANSWER);
      return;
    }
    int epoch = job.epoch;
    job.dialing = dialer.dial(job.id, job.number, outcome -> actQuietly.accept(() -> {
      if (jobs.get(job.id) == job && job.epoch == epoch) {
        job.dialing = null;
        dialed(job, outcome);
      }
    }));
  }

  void dialed(Job job, DialOutcome outcome) {
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
  void customerWaits(Job job) {
    job.enter(Job.Phase.CUSTOMER_WAITING);
    report(job, CallbackState.ROUTING, null, Map.of());
    queues.add(job);
    jobTimers.after(job, job.scenario.maxWaitOnCall(), () -> finish(job, CompletionReason.FAIL_AGENT_CONNECT.name()));
    settings.get().customerPatience().ifPresent(patience ->
        jobTimers.after(job, patience, () -> finish(job, CompletionReason.ABANDONED_IN_QUEUE.name())));
  }

  void connect(Job job) {
    job.enter(Job.Phase.CONNECTED);
    Agent agent = job.agent;
    setState(agent, AgentState.BUSY, null);
    report(job, CallbackState.PROCESSING, null, Map.of());
    Map<String, Object> data = AgentEvents.callbackData(job);
    data.put("userData", AgentEvents.userData(job));
    tell(agent, AgentEvent.CONNECTED, data);
    if (settings.get().simulated()) {
      // the simulated customer hangs up; a real call ends when the agent hangs up
      jobTimers.after(job, settings.get().talkTime(), () -> callEnded(job));
    }
  }

  void callEnded(Job job) {
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
    agent.wrapUpTimer = jobTimers.schedule(job.scenario.dispositionTimeout(), () -> act.accept(() -> {
      if (agent.wrapUp == job) {
        LOG.info("Agent {} gave no disposition for callback {} in time", agent.id, job.id);
        endWrapUp(agent);
      }
    }));
    if (agent.simulated) {
      jobTimers.later(() -> {
        if (agent.wrapUp == job) {
          saveDisposition(job, BuiltinEngine.SIMULATED_DISPOSITION, null);
          endWrapUp(agent);
        }
      });
    }
  }

  void saveDisposition(Job job, String disposition, String notes) {
    Map<String, Object> properties = new LinkedHashMap<>();
    properties.put(ServerState.DISPOSITION, disposition);
    if (notes != null && !notes.isBlank()) {
      properties.put(ServerState.DISPOSITION_NOTES, notes);
    }
    report(job, CallbackState.COMPLETED, CompletionReason.AGENT_CONNECTED.name(), properties);
  }

  void endWrapUp(Agent agent) {
    if (agent.wrapUpTimer != null) {
      agent.wrapUpTimer.cancel(false);
      agent.wrapUpTimer = null;
    }
    agents.recordHandleTime(agent.wrapUp, agent);
    agent.wrapUp = null;
    release(agent, AgentState.READY, null);
  }

  /** Ends a callback with a reason; its agent, if any, is told and freed. */
  void finish(Job job, String reason) {
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
  void release(Agent agent, AgentState next, String reason) {
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
      Optional<ServiceConfig> service = CallbackOptions.of(config.get(), callback);
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
  void wantPull() {
    if (cluster != null) {
      cluster.wantPull();
    }
  }

  /** Adds simulated agents up to {@code engine.agents}; removes extra ones once they are idle. */
  void syncSimulatedAgents() {
    if (agents.syncSimulatedAgents()) {
      wantPull();
    }
  }

  void setState(Agent agent, AgentState state, String reason) {
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

  /** Reports in the order decided, outside the lock; a callback no longer active is dropped. */
  void report(Job job, CallbackState state, String reason, Map<String, Object> properties) {
    job.reported = state;
    outbox.execute(new ReportTask(job, new CallbackReporter.Report(job.id, state, reason, properties)));
  }

  /**
   * A report waiting in the outbox. Reports queued one behind the other (of distinct callbacks) are
   * handed to the reporter together ({@link CallbackReporter#reportAll}: one transaction), each
   * answer then taken as if it had been reported alone.
   */
  private final class ReportTask implements SerialExecutor.Batchable {
    private final Job job;
    private final CallbackReporter.Report report;

    ReportTask(Job job, CallbackReporter.Report report) {
      this.job = job;
      this.report = report;
    }

    @Override
    public Object key() {
      return job.id;
    }

    @Override
    public void run() {
      answered(reportSafely(job.id, report.state(), report.reason(), report.serverState()));
    }

    @Override
    public void runAll(List<SerialExecutor.Batchable> batch) {
      List<ReportTask> tasks = batch.stream().map(ReportTask.class::cast).toList();
      List<Optional<Callback>> answers;
      try {
        answers = reporter.reportAll(tasks.stream().map(task -> task.report).toList());
      } catch (RuntimeException e) {
        // nothing of the batch was stored: each on its own
        LOG.warn("{} reports could not be made together ({}); each is made on its own", tasks.size(), e.toString());
        tasks.forEach(ReportTask::run);
        return;
      }
      for (int i = 0; i < tasks.size(); i++) {
        tasks.get(i).answered(answers.get(i));
      }
    }

    /** A callback no longer active is dropped (the answer is null when the report failed: kept). */
    private void answered(Optional<Callback> stored) {
      if (stored != null && stored.isEmpty() && report.state() != CallbackState.COMPLETED) {
        actQuietly.accept(() -> {
          if (jobs.get(job.id) == job) {
            LOG.info("Callback {} is no longer active: dropped", job.id);
            drop(job);
          }
        });
      }
    }
  }

  /** The reporter's answer, or null when it failed (logged). */
  Optional<Callback> reportSafely(String id, CallbackState state, String reason, Map<String, Object> properties) {
    try {
      return reporter.report(id, state, reason, properties);
    } catch (RuntimeException e) {
      LOG.error("Report of {} {} for callback {} failed", state, reason == null ? "" : reason, id, e);
      return null;
    }
  }

  void tell(Agent agent, String type, Map<String, Object> data) {
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

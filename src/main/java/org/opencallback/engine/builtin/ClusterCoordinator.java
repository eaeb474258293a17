package org.opencallback.engine.builtin;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.RejectedExecutionException;
import org.opencallback.domain.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster mode of the {@link BuiltinEngine} (docs/cluster.md): publishes waiting callbacks to the
 * {@link SharedQueues}, claims work there for free agents (on its own claim thread), hears the other
 * nodes' messages, exchanges agents and runs the safety poll. Thread-safe: its state is guarded by
 * the engine's lock, except the claim pass, which runs alone ({@code pulling}).
 */
final class ClusterCoordinator {
  /** Logged as the engine, as before this class was split from it. */
  private static final Logger LOG = LoggerFactory.getLogger(BuiltinEngine.class);

  private final BuiltinEngine engine;
  private final JobMachine machine;
  private final SharedQueues shared;
  private final Clock clock;
  private final SerialExecutor outbox;
  /** Claims work for free agents, one pass at a time. */
  private final java.util.concurrent.ExecutorService puller;
  private final java.util.concurrent.atomic.AtomicBoolean pulling = new java.util.concurrent.atomic.AtomicBoolean();
  /** Free agents should look for work in the shared queues; guarded by the engine's lock. */
  private boolean pullWanted;

  ClusterCoordinator(BuiltinEngine engine, JobMachine machine, SharedQueues shared, Clock clock, SerialExecutor outbox) {
    this.engine = engine;
    this.machine = machine;
    this.shared = shared;
    this.clock = clock;
    this.outbox = outbox;
    // Bound: at most one claim pass queued or running (the pulling flag)
    this.puller = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
      Thread thread = new Thread(runnable, "engine-claim");
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Free agents should look for work in the shared queues (under the engine's lock). */
  void wantPull() {
    pullWanted = true;
  }

  /** After a decision (under the engine's lock): starts a claim pass if one is wanted. */
  void pullIfWanted() {
    if (pullWanted) {
      pullWanted = false;
      startPull();
    }
  }

  void close() {
    puller.shutdownNow();
  }

  /**
   * A message from another node's engine ({@link SharedQueues#tell}, {@code NOTIFY}); see {@link
   * BuiltinEngine#notified}.
   */
  void notified(String message) {
    String[] words = message.split(" ");
    if (words.length < 2) {
      return;
    }
    if (words[0].equals("moved") && shared.stillHeld(List.of(words[1])).contains(words[1])) {
      return; // claimed back by this node since (the message is late)
    }
    engine.actQuietly(() -> {
      switch (words[0]) {
        case "cancel": {
          Job job = engine.jobs.get(words[1]);
          if (job != null) {
            LOG.info("Callback {} cancelled on another node in phase {}", job.id, job.phase);
            machine.drop(job);
          }
          break;
        }
        case "moved": {
          Job job = engine.jobs.get(words[1]);
          if (job != null && words.length > 2 && words[2].equals(shared.nodeId()) && job.phase == Job.Phase.WAITING) {
            LOG.debug("Callback {} was claimed by another node's agent", job.id);
            machine.remove(job);
          }
          break;
        }
        case "queued":
          // a callback entered a queue on another node (this node's own are claimed at once)
          if (words.length < 3 || !words[2].equals(shared.nodeId())) {
            pullWanted = true;
          }
          break;
        default:
          LOG.debug("Unknown engine message {}", message);
      }
    });
  }

  /**
   * Cluster mode: publishes a callback's place in the shared queue once the reports decided before
   * are made (the outbox is serial), if it is still waiting then; other nodes are told.
   */
  void publish(Job job) {
    int epoch = job.epoch;
    outbox.execute(() -> {
      boolean[] told = {false};
      engine.actQuietly(() -> {
        if (engine.jobs.get(job.id) != job || job.epoch != epoch || job.phase != Job.Phase.WAITING) {
          return;
        }
        Scenario scenario = job.scenario;
        if (shared.publish(job.id, scenario.queue(), job.queuedAt, scenario.priority(), scenario.priorityIncrement(),
            scenario.priorityInterval())) {
          job.published = true;
          pullWanted = true;
          // a free agent here claims it (the first of the cluster-wide queue) at once; other
          // nodes are woken only when none is
          told[0] = !engine.agents.anyFreeServing(job.service);
        } else {
          LOG.info("Callback {} is no longer held by this node: dropped", job.id);
          machine.remove(job);
        }
      });
      if (told[0]) {
        shared.tell("queued " + job.service + " " + shared.nodeId());
      }
    });
  }

  /**
   * Cluster mode: before a waiting callback leaves its queue (to end or be held), it is claimed back
   * from the shared queue. False when another node's agent claimed it first: it is forgotten here.
   */
  boolean leaveSharedQueue(Job job) {
    if (!job.published) {
      return true;
    }
    job.published = false;
    if (shared.withdraw(job.id)) {
      return true;
    }
    LOG.debug("Callback {} was claimed by another node's agent", job.id);
    machine.remove(job);
    return false;
  }

  /** Starts a pass claiming work for the free agents, unless one is running. */
  private void startPull() {
    if (engine.closed || engine.suspended || !pulling.compareAndSet(false, true)) {
      return;
    }
    try {
      puller.execute(this::pull);
    } catch (RejectedExecutionException e) {
      pulling.set(false);
    }
  }

  /**
   * Claims, for each free agent (longest idle first), the first callback it serves in the shared
   * queues, and gives it to the agent. Runs on the claim thread, never under the engine's lock.
   */
  private void pull() {
    try {
      Set<List<String>> nothingFor = new java.util.HashSet<>();
      List<String> everything = List.of();
      boolean again = true;
      while (again && !engine.closed && !engine.suspended) {
        List<Agent> free;
        Map<Agent, List<String>> served = new HashMap<>();
        synchronized (engine.lock) {
          pullWanted = false;
          free = engine.agents.free();
          free.forEach(agent -> served.put(agent, agent.services));
        }
        again = false;
        for (Agent agent : free) {
          List<String> services = served.get(agent);
          if (nothingFor.contains(everything) || nothingFor.contains(services)) {
            continue;
          }
          Optional<SharedQueues.Claimed> claimed = shared.claimNext(services.isEmpty() ? null : services, clock.instant());
          if (claimed.isEmpty()) {
            nothingFor.add(services);
            continue;
          }
          again = true;
          String id = claimed.get().id();
          boolean held;
          synchronized (engine.lock) {
            held = engine.jobs.containsKey(id);
          }
          // one claimed from another node is read from the store (this node owns it now)
          Optional<Callback> callback = held ? Optional.empty() : shared.find(id);
          engine.actQuietly(() -> {
            if (!engine.suspended) { // fenced meanwhile: owned here in the store, recovered on resume
              machine.adopt(id, claimed.get().since(), callback, agent);
            }
          });
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Claiming callbacks for free agents failed; trying again at the next poll: {}", e.toString());
    } finally {
      pulling.set(false);
    }
    Set<String> unserved = new java.util.TreeSet<>();
    synchronized (engine.lock) {
      if (pullWanted && !engine.closed) {
        pullWanted = false;
        startPull();
      }
      // callbacks published here that no free agent here serves: other nodes' agents are woken
      for (Job job : engine.jobs.values()) {
        if (job.published && job.phase == Job.Phase.WAITING) {
          unserved.add(job.service);
        }
      }
      unserved.removeIf(engine.agents::anyFreeServing);
    }
    try {
      unserved.forEach(service -> shared.tell("queued " + service + " " + shared.nodeId()));
    } catch (RuntimeException e) {
      LOG.warn("Waking the other nodes failed; their next poll finds the callbacks: {}", e.toString());
    }
  }

  /**
   * Every {@link BuiltinEngine#SAFETY_POLL}, for lost notifications: free agents look for work, and callbacks
   * this node holds but no longer owns (claimed elsewhere) or that ended elsewhere (cancelled) are
   * forgotten.
   */
  void safetyPoll() {
    try {
      List<Job> held;
      synchronized (engine.lock) {
        if (engine.closed) {
          return;
        }
        pullWanted = true;
        held = new ArrayList<>(engine.jobs.values());
      }
      Set<String> still = shared.stillHeld(held.stream().map(job -> job.id).toList());
      engine.actQuietly(() -> {
        for (Job job : held) {
          if (!still.contains(job.id) && engine.jobs.get(job.id) == job) {
            LOG.info("Callback {} is no longer held by this node (phase {}): dropped", job.id, job.phase);
            job.published = false;
            machine.drop(job);
          }
        }
      });
    } catch (RuntimeException e) {
      LOG.warn("Cluster safety poll failed; trying again: {}", e.toString());
    }
  }

  /** Every {@link BuiltinEngine#TICK}: publishes this node's agents, reads the other nodes'. */
  void exchangeAgents() {
    try {
      SharedQueues.NodeAgents mine;
      synchronized (engine.lock) {
        if (engine.closed) {
          return;
        }
        mine = engine.agents.summary();
      }
      engine.agents.others(shared.exchangeAgents(mine, clock.instant()));
    } catch (RuntimeException e) {
      LOG.warn("Publishing this node's agents failed; trying again: {}", e.toString());
    }
  }
}

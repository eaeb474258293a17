package org.opencallback.cluster;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.opencallback.scheduling.Dispatcher;
import org.opencallback.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place in a cluster (docs/cluster.md): it joins under its node id, renews its lease
 * every heartbeat ({@code [cluster] heartbeat}), and takes over the active callbacks of nodes whose
 * lease ({@code [cluster] lease}) ran out, giving them to its own engines. Lease times are the
 * database's ({@link NodeStore}).
 *
 * <p><b>Fencing.</b> A watchdog, on its own thread (a heartbeat stuck on a dead connection does not
 * stop it), measures with the monotonic clock the time since the last heartbeat that succeeded was
 * sent. Past {@link #fenceAfter} (the lease minus a margin) it fences the node ({@link Fence#fence}):
 * its engines stop and forget what they hold. Another node may take over only once the lease ran
 * out by the database's clock, which counts from the moment the database wrote that heartbeat, no
 * earlier than it was sent: the node stops at least the margin before anyone else may start. When a
 * heartbeat succeeds again the node resumes ({@link Fence#resume}: its engines get back the
 * callbacks it still owns); when its lease was taken meanwhile it joins again under a new instance
 * and owns nothing it had. Thread-safe.
 */
public final class ClusterMembership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

  /** What a node does when it may no longer hold its lease, and when it holds it again. */
  public interface Fence {
    /** Stop handling callbacks at once: another node may take them over soon. Must not block. */
    void fence();

    /** The lease is held again: hand the engines the active callbacks this node owns. */
    void resume();
  }

  private final NodeStore nodes;
  private final String nodeId;
  private final Duration lease;
  private final Duration heartbeat;
  private final long fenceAfterNanos;
  private final LongSupplier nanoTime;
  private final AtomicBoolean fenced = new AtomicBoolean();
  private volatile String instance = UUID.randomUUID().toString();
  /** Monotonic time at which the last successful heartbeat (or the join) was sent. */
  private volatile long renewedAt;
  private volatile boolean closed;
  /** What a fence stops: nothing until {@link #start} hands over the engines' fence. */
  private volatile Fence fence = NOTHING_HELD;
  private ScheduledExecutorService watchdog; // guarded by this

  /** Before {@link #start}: the engines hold nothing yet, so there is nothing to stop or resume. */
  private static final Fence NOTHING_HELD = new Fence() {
    @Override
    public void fence() {}

    @Override
    public void resume() {}
  };

  public ClusterMembership(NodeStore nodes, String nodeId, Duration lease, Duration heartbeat) {
    this(nodes, nodeId, lease, heartbeat, System::nanoTime);
  }

  ClusterMembership(NodeStore nodes, String nodeId, Duration lease, Duration heartbeat, LongSupplier nanoTime) {
    this.nodes = nodes;
    this.nodeId = nodeId;
    this.lease = lease;
    this.heartbeat = heartbeat;
    this.fenceAfterNanos = fenceAfter(lease, heartbeat).toNanos();
    this.nanoTime = nanoTime;
    this.renewedAt = nanoTime.getAsLong();
  }

  /**
   * How long after the last successful heartbeat was sent a node fences itself: the lease minus a
   * margin of a third of the lease, or half of what the lease leaves after one heartbeat when that is
   * less (a lease of two heartbeats still lets one heartbeat be late without fencing).
   */
  public static Duration fenceAfter(Duration lease, Duration heartbeat) {
    Duration third = lease.dividedBy(3);
    Duration half = lease.minus(heartbeat).dividedBy(2);
    return lease.minus(third.compareTo(half) < 0 ? third : half);
  }

  public String nodeId() {
    return nodeId;
  }

  /** Whether this node is fenced now (its engines stopped). */
  public boolean fenced() {
    return fenced.get();
  }

  /**
   * Joins; when a node with this id still holds a lease (a restart within the lease, or another
   * running node with the same id) waits for it to run out, at most one lease and a heartbeat.
   *
   * @throws IllegalStateException when the id stays in use by a running node
   */
  public void join() throws InterruptedException {
    long deadline = System.nanoTime() + lease.plus(heartbeat.multipliedBy(2)).toNanos();
    boolean told = false;
    while (true) {
      long sent = nanoTime.getAsLong();
      if (nodes.join(nodeId, instance, lease.toMillis())) {
        renewedAt = sent;
        break;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("node id '" + nodeId + "' is in use by a running node;"
            + " give each node its own --node-id");
      }
      if (!told) {
        LOG.info("Node id {} still holds a lease; waiting up to {} s for it to run out", nodeId, lease.toSeconds());
        told = true;
      }
      Thread.sleep(500);
    }
    LOG.info("Joined the cluster as node {} (fences itself {} ms after its last heartbeat)", nodeId,
        fenceAfterNanos / 1_000_000);
  }

  /**
   * Joins ({@link #join()}) and keeps the lease from then on: heartbeats on {@code timer} and the
   * watchdog on a thread of its own, before the engines exist. Building the engines and recovering
   * what this node owns may take longer than a lease; without heartbeats meanwhile another node would
   * take the node over and dial what it is recovering a second time. Until {@link #start} nothing
   * is held, so a fence then stops nothing; {@link #start} applies it.
   */
  public void join(ScheduledExecutorService timer) throws InterruptedException {
    join();
    keepAlive(timer);
  }

  private synchronized void keepAlive(ScheduledExecutorService timer) {
    if (watchdog != null) {
      return;
    }
    long every = heartbeat.toMillis();
    timer.scheduleWithFixedDelay(this::heartbeatOnce, 0, every, TimeUnit.MILLISECONDS);
    // checked often enough that the margin (at least a sixth of the lease) is never eaten by the check
    long check = Math.max(10, Math.min(250, every / 4));
    // Bound: one periodic task (the lease check)
    watchdog = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "cluster-fence");
      thread.setDaemon(true);
      return thread;
    });
    watchdog.scheduleAtFixedRate(this::checkLease, check, check, TimeUnit.MILLISECONDS);
  }

  /**
   * Hands the lease's fence to the engines and starts the take-over of dead nodes' work on {@code
   * timer} (heartbeats and the watchdog too, unless {@link #join(ScheduledExecutorService)} started
   * them). The fence is switched on the heartbeat thread ({@code timer} must be single-threaded), so
   * that a resume in flight cannot undo a fence applied here.
   */
  public void start(ScheduledExecutorService timer, Dispatcher dispatcher, Fence fence) {
    long every = heartbeat.toMillis();
    keepAlive(timer);
    timer.execute(() -> {
      this.fence = fence;
      if (fenced.get()) {
        fence.fence(); // fenced while starting: the engines just built must hold nothing either
      }
      heartbeatOnce(); // the start may have taken long
    });
    timer.scheduleWithFixedDelay(() -> takeOverDead(dispatcher), every, every, TimeUnit.MILLISECONDS);
  }

  /** The watchdog: fences the node once its last successful heartbeat is too old. */
  void checkLease() {
    long silent = nanoTime.getAsLong() - renewedAt;
    if (!closed && silent > fenceAfterNanos) {
      fence("no heartbeat reached the database for " + silent / 1_000_000 + " ms");
    }
  }

  /** One heartbeat; resumes a fenced node, or joins again when its lease was taken. */
  void heartbeatOnce() {
    if (closed) {
      return;
    }
    long sent = nanoTime.getAsLong();
    boolean held;
    try {
      held = nodes.heartbeat(nodeId, instance);
    } catch (RuntimeException e) {
      LOG.warn("Heartbeat of node {} failed: {}", nodeId, e.getMessage());
      return;
    }
    if (!held) {
      // another node declared this one dead and took its callbacks; stop first (a stalled watchdog
      // may not have yet), then join afresh: the callbacks it had are someone else's now
      fence("its lease was taken over by another node");
      instance = UUID.randomUUID().toString();
      try {
        if (!nodes.join(nodeId, instance, lease.toMillis())) {
          return;
        }
      } catch (RuntimeException e) {
        LOG.warn("Node {} could not join again: {}", nodeId, e.getMessage());
        return;
      }
      LOG.warn("Node {} joined the cluster again (its former callbacks were taken over)", nodeId);
    }
    renewedAt = sent;
    // resumes only on a prompt heartbeat: one that took most of the margin would fence again at once
    if (fenced.get() && nanoTime.getAsLong() - sent < fenceAfterNanos / 2) {
      LOG.warn("Node {} holds its lease again: resuming its engines", nodeId);
      try {
        fence.resume(); // this thread switches the fence: the one read here is current
      } catch (RuntimeException e) {
        LOG.error("Resuming node {} failed; trying again at the next heartbeat", nodeId, e);
        return;
      }
      fenced.set(false);
    }
  }

  private void fence(String why) {
    if (fenced.compareAndSet(false, true)) {
      LOG.error("Node {} fenced: {}; its engines stop before another node may take its callbacks over", nodeId, why);
      try {
        fence.fence();
      } catch (RuntimeException e) {
        LOG.error("Fencing node {} failed", nodeId, e);
      }
    }
  }

  /** One pass: takes over the work of every node whose lease ran out (never while fenced). */
  public int takeOverDead(Dispatcher dispatcher) {
    if (fenced.get() || closed) {
      return 0;
    }
    int taken = 0;
    try {
      for (String dead : nodes.deadNodes(nodeId, lease.toMillis())) {
        List<String> ids = nodes.takeOver(dead, nodeId, lease.toMillis());
        if (!ids.isEmpty()) {
          int recovered = dispatcher.recoverIds(ids);
          LOG.info("Took over {} callback(s) of node {} (lease expired); {} given to engines", ids.size(), dead,
              recovered);
          taken += ids.size();
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("Take-over of dead nodes failed; trying again: {}", e.getMessage());
    }
    return taken;
  }

  /** Graceful stop: gives up the lease so that another node takes over at once. */
  @Override
  public void close() {
    closed = true;
    synchronized (this) {
      if (watchdog != null) {
        watchdog.shutdownNow();
      }
    }
    if (!fenced.get()) {
      try {
        nodes.leave(nodeId, instance);
      } catch (RuntimeException e) {
        LOG.warn("Leaving the cluster failed: {}", e.getMessage());
      }
    }
  }
}

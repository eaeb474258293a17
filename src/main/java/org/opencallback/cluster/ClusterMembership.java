package org.opencallback.cluster;

import org.opencallback.scheduling.Dispatcher;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.opencallback.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's place in a cluster (docs/cluster.md): it joins under its node id, renews its lease
 * every heartbeat ({@code [cluster] heartbeat}), and takes over the active callbacks of nodes whose
 * lease ({@code [cluster] lease}) ran out, giving them to its own engines. A node that finds its own
 * lease lost (it stalled longer than the lease and another node took its work) must stop: {@code
 * onLeaseLost} runs. Thread-safe.
 */
public final class ClusterMembership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ClusterMembership.class);

  private final NodeStore nodes;
  private final String nodeId;
  private final String instance = UUID.randomUUID().toString();
  private final Clock clock;
  private final Duration lease;
  private final Duration heartbeat;
  private volatile boolean lost;

  public ClusterMembership(NodeStore nodes, String nodeId, Clock clock, Duration lease, Duration heartbeat) {
    this.nodes = nodes;
    this.nodeId = nodeId;
    this.clock = clock;
    this.lease = lease;
    this.heartbeat = heartbeat;
  }

  public String nodeId() {
    return nodeId;
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
    while (!nodes.join(nodeId, instance, clock.millis(), clock.millis() - lease.toMillis())) {
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
    LOG.info("Joined the cluster as node {}", nodeId);
  }

  /** Starts heartbeats and the take-over of dead nodes' work on {@code timer}. */
  public void start(ScheduledExecutorService timer, Dispatcher dispatcher, Runnable onLeaseLost) {
    timer.scheduleWithFixedDelay(() -> {
      try {
        if (!lost && !nodes.heartbeat(nodeId, instance, clock.millis())) {
          lost = true;
          LOG.error("Node {} lost its lease (another node took over its callbacks); stopping", nodeId);
          onLeaseLost.run();
        }
      } catch (RuntimeException e) {
        LOG.warn("Heartbeat of node {} failed: {}", nodeId, e.getMessage());
      }
    }, heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
    timer.scheduleWithFixedDelay(() -> takeOverDead(dispatcher),
        heartbeat.toMillis(), heartbeat.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One pass: takes over the work of every node whose lease ran out. */
  public int takeOverDead(Dispatcher dispatcher) {
    if (lost) {
      return 0;
    }
    int taken = 0;
    try {
      long stale = clock.millis() - lease.toMillis();
      for (String dead : nodes.deadNodes(nodeId, stale)) {
        List<String> ids = nodes.takeOver(dead, nodeId, stale);
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
    if (!lost) {
      try {
        nodes.leave(nodeId, instance);
      } catch (RuntimeException e) {
        LOG.warn("Leaving the cluster failed: {}", e.getMessage());
      }
    }
  }
}

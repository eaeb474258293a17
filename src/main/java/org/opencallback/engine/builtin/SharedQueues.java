package org.opencallback.engine.builtin;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.opencallback.domain.Callback;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.WaitingStore;

/**
 * What the built-in engine shares with the other nodes of a cluster (docs/cluster.md): its virtual
 * queues, what it knows of its agents, and messages to the other engines. The database is the only
 * channel. Outside a cluster the engine has none and keeps everything in memory. Implementations
 * are thread-safe; every method may block on the database and is never called under the engine's
 * lock, except {@link #publish} and {@link #withdraw}, which are short.
 */
public interface SharedQueues {
  /** The queues of a cluster, in its database: {@code waiting} for queues and agents, {@code store} for callbacks. */
  static SharedQueues inDatabase(WaitingStore waiting, CallbackStore store, ObjectMapper json) {
    return new DatabaseQueues(waiting, store, json);
  }

  /**
   * Puts a callback this node holds into its queue, cluster-wide; false when this node no longer
   * holds it.
   */
  boolean publish(String id, String queue, Instant since, int priority, int increment, Duration interval);

  /** Takes a callback this node holds out of its queue; false when another node claimed it first. */
  boolean withdraw(String id);

  /**
   * Claims the first waiting callback, cluster-wide, of these services (all when null) for an agent
   * of this node; the node it is taken from is told ({@code moved ID NODE}).
   */
  Optional<Claimed> claimNext(Collection<String> services, Instant now);

  /** A claimed callback, and since when it has been waiting. */
  record Claimed(String id, Instant since) {}

  /** A callback as stored (one claimed from another node). */
  Optional<Callback> find(String id);

  /** The 1-based place of a waiting callback in its queue, cluster-wide; empty when not waiting. */
  Optional<Integer> position(String id, Instant now);

  /** How many callbacks wait in a queue, cluster-wide. */
  int waiting(String queue);

  /** Of these callbacks held here, those this node still owns and that are still active. */
  Set<String> stillHeld(Collection<String> ids);

  /** Publishes this node's agents and handle times; returns what the other live nodes published. */
  List<NodeAgents> exchangeAgents(NodeAgents mine, Instant now);

  /** Tells the other engines (and this one) something: {@code cancel ID}, {@code queued SERVICE}. */
  void tell(String message);

  /** This node's id. */
  String nodeId();

  /** One agent as other nodes see it. */
  record AgentSummary(List<String> services, boolean loggedIn, boolean free) {
    boolean serves(String service) {
      return services.isEmpty() || services.contains(service);
    }
  }

  /** A node's agents, and the handle times (ms) of its last calls per queue. */
  record NodeAgents(List<AgentSummary> agents, Map<String, List<Long>> handleMillis) {}
}

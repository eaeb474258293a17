package org.opencallback.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The cluster-wide virtual queues of the built-in engine (cluster mode on PostgreSQL,
 * docs/cluster.md): which callbacks wait for an agent, in which queue, in which order; claiming the
 * next one for an agent of any node, exactly once; what each node's engine publishes about its
 * agents; and {@code NOTIFY} to the other nodes. Thread-safe; each method is one transaction.
 *
 * <p>A waiting callback has {@code vq_name} set. Only a claim takes it out of the queue: {@link
 * #withdraw} by its owner, {@link #claimNext} by any node (which becomes its owner). Both lock the
 * row, so exactly one wins.
 */
public final class WaitingStore {
  /** The {@code LISTEN}/{@code NOTIFY} channel of the engines. */
  public static final String CHANNEL = "opencallback_engine";
  private static final String ACTIVE = "('QUEUED', 'ROUTING', 'PROCESSING', 'PAUSED')";
  /** Queue order at :now, the engine's: higher priority (plus increments) first, then the oldest. */
  private static final String PRIORITY = "(vq_priority + CASE WHEN vq_interval > 0 AND vq_increment <> 0"
      + " THEN ((:now - vq_since) / vq_interval) * vq_increment ELSE 0 END)";

  private final Jdbi jdbi;
  private final String nodeId;

  public WaitingStore(DataSource dataSource, String nodeId) {
    this.jdbi = Jdbi.create(dataSource);
    this.nodeId = nodeId;
  }

  /** A callback waiting in a queue, as published by its owner. */
  public record Waiting(String queue, long since, int priority, int increment, long intervalMillis) {}

  /** A callback claimed for one of this node's agents, and the node that held it. */
  public record Claimed(String id, String previousOwner, long since) {}

  /**
   * Puts a callback this node owns into its queue; false when this node no longer owns it or it is
   * no longer active.
   */
  public boolean publish(String id, Waiting waiting) {
    return jdbi.withHandle(handle -> handle.createUpdate("UPDATE callback SET vq_name = :queue, vq_since = :since,"
            + " vq_priority = :priority, vq_increment = :increment, vq_interval = :interval"
            + " WHERE id = :id AND owner_node = :me AND state IN " + ACTIVE)
        .bind("queue", waiting.queue()).bind("since", waiting.since()).bind("priority", waiting.priority())
        .bind("increment", waiting.increment()).bind("interval", waiting.intervalMillis())
        .bind("id", id).bind("me", nodeId)
        .execute()) == 1;
  }

  /**
   * Takes a callback this node owns out of its queue (before giving it to an agent, ending or
   * holding it); false when another node claimed it first.
   */
  public boolean withdraw(String id) {
    return jdbi.withHandle(handle -> handle.createUpdate(
            "UPDATE callback SET vq_name = NULL WHERE id = :id AND owner_node = :me")
        .bind("id", id).bind("me", nodeId)
        .execute()) == 1;
  }

  /**
   * Claims the first waiting callback, cluster-wide, of the services given (all when null) for
   * this node: it leaves the queue and this node owns it. A node it is taken from is told through
   * {@code NOTIFY} ({@code moved ID NODE}) when the claim commits.
   */
  public Optional<Claimed> claimNext(Collection<String> services, long now) {
    if (services != null && services.isEmpty()) {
      return Optional.empty();
    }
    return jdbi.inTransaction(handle -> {
      org.jdbi.v3.core.statement.Query query = handle.createQuery("SELECT id, owner_node, vq_since FROM callback"
              + " WHERE vq_name IS NOT NULL AND state = 'QUEUED'" + (services == null ? "" : " AND service IN (<services>)")
              + " ORDER BY " + PRIORITY + " DESC, vq_since, id LIMIT 1 FOR UPDATE SKIP LOCKED")
          .bind("now", now);
      if (services != null) {
        query.bindList("services", new ArrayList<>(services));
      }
      Optional<Claimed> next = query
          .map((rs, ctx) -> new Claimed(rs.getString(1), rs.getString(2), rs.getLong(3)))
          .findOne();
      if (next.isEmpty()) {
        return next;
      }
      handle.createUpdate("UPDATE callback SET vq_name = NULL, owner_node = :me WHERE id = :id")
          .bind("me", nodeId).bind("id", next.get().id()).execute();
      if (next.get().previousOwner() != null && !nodeId.equals(next.get().previousOwner())) {
        notify(handle, "moved " + next.get().id() + " " + next.get().previousOwner());
      }
      return next;
    });
  }

  /**
   * The 1-based place of a waiting callback in its queue at {@code now} (the queue's order), or
   * empty when it is not waiting.
   */
  public Optional<Integer> position(String id, long now) {
    return jdbi.withHandle(handle -> {
      Optional<Waiting> mine = handle.createQuery("SELECT vq_name, vq_since, vq_priority, vq_increment, vq_interval"
              + " FROM callback WHERE id = :id AND vq_name IS NOT NULL AND state = 'QUEUED'")
          .bind("id", id)
          .map((rs, ctx) -> new Waiting(rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getLong(5)))
          .findOne();
      if (mine.isEmpty()) {
        return Optional.empty();
      }
      Waiting waiting = mine.get();
      long priority = waiting.priority() + (waiting.intervalMillis() > 0 && waiting.increment() != 0
          ? ((now - waiting.since()) / waiting.intervalMillis()) * waiting.increment() : 0);
      int ahead = handle.createQuery("SELECT COUNT(*) FROM callback WHERE vq_name = :queue AND state = 'QUEUED' AND id <> :id AND ("
              + PRIORITY + " > :priority OR (" + PRIORITY + " = :priority AND (vq_since < :since"
              + " OR (vq_since = :since AND id < :id))))")
          .bind("queue", waiting.queue()).bind("id", id).bind("now", now).bind("priority", priority)
          .bind("since", waiting.since())
          .mapTo(Integer.class).one();
      return Optional.of(ahead + 1);
    });
  }

  /** How many callbacks wait in a queue, cluster-wide. */
  public int waiting(String queue) {
    return jdbi.withHandle(handle -> handle.createQuery("SELECT COUNT(*) FROM callback WHERE vq_name = :queue AND state = 'QUEUED'")
        .bind("queue", queue).mapTo(Integer.class).one());
  }

  /** Of these callbacks, those this node still owns and that are still active. */
  public Set<String> stillHeld(Collection<String> ids) {
    if (ids.isEmpty()) {
      return Set.of();
    }
    return jdbi.withHandle(handle -> new HashSet<>(handle.createQuery("SELECT id FROM callback WHERE id IN (<ids>)"
            + " AND owner_node = :me AND state IN " + ACTIVE)
        .bindList("ids", new ArrayList<>(ids)).bind("me", nodeId)
        .mapTo(String.class).list()));
  }

  /** Publishes what this node's engine says about its agents (JSON). */
  public void publishAgents(String agents, long now) {
    jdbi.useTransaction(handle -> {
      int updated = handle.createUpdate("UPDATE engine_node SET agents = :agents, updated_at = :now WHERE node_id = :me")
          .bind("agents", agents).bind("now", now).bind("me", nodeId).execute();
      if (updated == 0) {
        handle.createUpdate("INSERT INTO engine_node (node_id, agents, updated_at) VALUES (:me, :agents, :now)"
                + " ON CONFLICT (node_id) DO UPDATE SET agents = :agents, updated_at = :now")
            .bind("agents", agents).bind("now", now).bind("me", nodeId).execute();
      }
    });
  }

  /** What the other nodes published about their agents at or after {@code since}. */
  public List<String> othersAgents(long since) {
    return jdbi.withHandle(handle -> handle.createQuery(
            "SELECT agents FROM engine_node WHERE node_id <> :me AND updated_at >= :since ORDER BY node_id")
        .bind("me", nodeId).bind("since", since).mapTo(String.class).list());
  }

  /** Tells every node's engine (this one's too) something, e.g. {@code cancel ID}; sent at commit. */
  public void notifyEngines(String message) {
    jdbi.useHandle(handle -> notify(handle, message));
  }

  private static void notify(Handle handle, String message) {
    handle.createQuery("SELECT 1 FROM (SELECT pg_notify(:channel, :message)) AS sent")
        .bind("channel", CHANNEL).bind("message", message)
        .mapTo(Integer.class).one();
  }

  public String nodeId() {
    return nodeId;
  }
}

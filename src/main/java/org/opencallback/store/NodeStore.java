package org.opencallback.store;

import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code node} table and callback ownership (cluster mode, docs/cluster.md): heartbeats, who is
 * dead, and moving a dead node's active callbacks to a live one. Thread-safe; each method is one
 * transaction.
 */
public final class NodeStore {
  private static final String ACTIVE = "('QUEUED', 'ROUTING', 'PROCESSING', 'PAUSED')";

  private final Jdbi jdbi;

  public NodeStore(DataSource dataSource) {
    this.jdbi = Jdbi.create(dataSource);
  }

  /** A node's row: its current instance and last heartbeat (epoch millis). */
  public record NodeRow(String nodeId, String instance, long heartbeatAt) {}

  public Optional<NodeRow> node(String nodeId) {
    return jdbi.withHandle(handle -> handle
        .createQuery("SELECT node_id, instance, heartbeat_at FROM node WHERE node_id = :id")
        .bind("id", nodeId)
        .map((rs, ctx) -> new NodeRow(rs.getString(1), rs.getString(2), rs.getLong(3)))
        .findOne());
  }

  /**
   * Registers this instance under {@code nodeId} unless another instance's heartbeat is at or after
   * {@code staleBefore}; returns whether it did.
   */
  public boolean join(String nodeId, String instance, long now, long staleBefore) {
    return jdbi.inTransaction(handle -> {
      int updated = handle.createUpdate("UPDATE node SET instance = :instance, started_at = :now,"
              + " heartbeat_at = :now WHERE node_id = :id AND (heartbeat_at < :stale OR instance = :instance)")
          .bind("id", nodeId).bind("instance", instance).bind("now", now).bind("stale", staleBefore)
          .execute();
      if (updated == 1) {
        return true;
      }
      int exists = handle.createQuery("SELECT COUNT(*) FROM node WHERE node_id = :id")
          .bind("id", nodeId).mapTo(Integer.class).one();
      if (exists > 0) {
        return false;
      }
      try {
        handle.createUpdate("INSERT INTO node (node_id, instance, started_at, heartbeat_at)"
                + " VALUES (:id, :instance, :now, :now)")
            .bind("id", nodeId).bind("instance", instance).bind("now", now).execute();
        return true;
      } catch (RuntimeException raced) {
        return false;
      }
    });
  }

  /** Renews this instance's lease; false when it lost it (another node declared it dead). */
  public boolean heartbeat(String nodeId, String instance, long now) {
    return jdbi.withHandle(handle -> handle
        .createUpdate("UPDATE node SET heartbeat_at = :now WHERE node_id = :id AND instance = :instance")
        .bind("id", nodeId).bind("instance", instance).bind("now", now)
        .execute()) == 1;
  }

  /** Leaves the cluster cleanly (graceful stop): the row goes, the callbacks are taken over at once. */
  public void leave(String nodeId, String instance) {
    jdbi.useHandle(handle -> handle
        .createUpdate("UPDATE node SET heartbeat_at = 0 WHERE node_id = :id AND instance = :instance")
        .bind("id", nodeId).bind("instance", instance).execute());
  }

  /** Nodes other than {@code self} whose heartbeat is older than {@code staleBefore}. */
  public List<String> deadNodes(String self, long staleBefore) {
    return jdbi.withHandle(handle -> handle
        .createQuery("SELECT node_id FROM node WHERE heartbeat_at < :stale AND node_id <> :self ORDER BY node_id")
        .bind("stale", staleBefore).bind("self", self)
        .mapTo(String.class).list());
  }

  /**
   * Takes over a dead node's active callbacks for {@code self}: deleting the dead node's row decides
   * the one winner among the nodes trying at once (the row lock orders them, the later finds it
   * gone). Returns the ids taken, empty when another node won or the node came back.
   */
  public List<String> takeOver(String dead, String self, long staleBefore) {
    return jdbi.inTransaction(handle -> {
      int won = handle.createUpdate("DELETE FROM node WHERE node_id = :dead AND heartbeat_at < :stale")
          .bind("dead", dead).bind("stale", staleBefore).execute();
      if (won != 1) {
        return List.of();
      }
      List<String> ids = handle.createQuery("SELECT id FROM callback WHERE owner_node = :dead"
              + " AND state IN " + ACTIVE + " ORDER BY id")
          .bind("dead", dead).mapTo(String.class).list();
      handle.createUpdate("UPDATE callback SET owner_node = :self WHERE owner_node = :dead AND state IN " + ACTIVE)
          .bind("dead", dead).bind("self", self).execute();
      return ids;
    });
  }

  /**
   * At start: makes this node the owner of the active callbacks it owned before (same node id),
   * those with no owner, and, when {@code everything} (a single-node database), all of them.
   * Returns the ids of the active callbacks it owns now.
   */
  public List<String> adopt(String self, boolean everything) {
    return jdbi.inTransaction(handle -> {
      handle.createUpdate("UPDATE callback SET owner_node = :self WHERE state IN " + ACTIVE
              + (everything ? "" : " AND owner_node IS NULL"))
          .bind("self", self).execute();
      return handle.createQuery("SELECT id FROM callback WHERE owner_node = :self AND state IN " + ACTIVE
              + " ORDER BY id")
          .bind("self", self).mapTo(String.class).list();
    });
  }
}

package org.opencallback.store;

import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.jdbi.v3.core.Jdbi;

/**
 * The {@code node} table and callback ownership (cluster mode, docs/cluster.md): heartbeats, who is
 * dead, and moving a dead node's active callbacks to a live one. Thread-safe; each method is one
 * transaction.
 *
 * <p>Every time stamp of a lease is the database's clock ({@link #NOW}), never a node's: a node
 * whose clock is wrong can neither keep a lease it lost nor take one that is still valid.
 */
public final class NodeStore {
  private static final String ACTIVE = "('QUEUED', 'ROUTING', 'PROCESSING', 'PAUSED')";

  /** The database's clock in epoch milliseconds (PostgreSQL and H2). */
  static final String NOW = "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP) * 1000 AS BIGINT)";

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
   * Registers this instance under {@code nodeId} unless another instance's heartbeat is younger than
   * {@code leaseMillis} by the database's clock; returns whether it did.
   */
  public boolean join(String nodeId, String instance, long leaseMillis) {
    return jdbi.inTransaction(handle -> {
      int updated = handle.createUpdate("UPDATE node SET instance = :instance, started_at = " + NOW + ","
              + " heartbeat_at = " + NOW + " WHERE node_id = :id AND (heartbeat_at < " + NOW
              + " - :lease OR instance = :instance)")
          .bind("id", nodeId).bind("instance", instance).bind("lease", leaseMillis)
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
                + " VALUES (:id, :instance, " + NOW + ", " + NOW + ")")
            .bind("id", nodeId).bind("instance", instance).execute();
        return true;
      } catch (RuntimeException raced) {
        return false;
      }
    });
  }

  /**
   * Renews this instance's lease at the database's time; false when it lost it (another node
   * declared it dead and took its callbacks).
   */
  public boolean heartbeat(String nodeId, String instance) {
    return jdbi.withHandle(handle -> handle
        .createUpdate("UPDATE node SET heartbeat_at = " + NOW + " WHERE node_id = :id AND instance = :instance")
        .bind("id", nodeId).bind("instance", instance)
        .execute()) == 1;
  }

  /** Leaves the cluster cleanly (graceful stop): the row goes, the callbacks are taken over at once. */
  public void leave(String nodeId, String instance) {
    jdbi.useHandle(handle -> handle
        .createUpdate("UPDATE node SET heartbeat_at = 0 WHERE node_id = :id AND instance = :instance")
        .bind("id", nodeId).bind("instance", instance).execute());
  }

  /** Nodes other than {@code self} whose heartbeat is older than {@code leaseMillis}, by the database's clock. */
  public List<String> deadNodes(String self, long leaseMillis) {
    return jdbi.withHandle(handle -> handle
        .createQuery("SELECT node_id FROM node WHERE heartbeat_at < " + NOW + " - :lease AND node_id <> :self"
            + " ORDER BY node_id")
        .bind("lease", leaseMillis).bind("self", self)
        .mapTo(String.class).list());
  }

  /**
   * Takes over a dead node's active callbacks for {@code self}: deleting the dead node's row decides
   * the one winner among the nodes trying at once (the row lock orders them, the later finds it
   * gone). The lease is checked again, by the database's clock, in the same statement. Returns the
   * ids taken, empty when another node won or the node came back.
   */
  public List<String> takeOver(String dead, String self, long leaseMillis) {
    return jdbi.inTransaction(handle -> {
      int won = handle.createUpdate("DELETE FROM node WHERE node_id = :dead AND heartbeat_at < " + NOW + " - :lease")
          .bind("dead", dead).bind("lease", leaseMillis).execute();
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

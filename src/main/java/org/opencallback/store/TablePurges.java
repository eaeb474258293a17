package org.opencallback.store;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Purges of the bookkeeping tables beside the callbacks (docs/reliability.md, "Every table and its
 * purge"): throttle counts of past days, bookings of past slots, and the rows of cluster nodes dead
 * for long. Each purge deletes at most {@code limit} rows in one short transaction so that it never
 * holds locks long; the caller repeats while a full batch was deleted. Thread-safe (holds only the
 * {@link Jdbi}).
 */
final class TablePurges {
  private static final long DAY_MILLIS = 86_400_000L;
  private static final String ACTIVE = "('QUEUED', 'ROUTING', 'PROCESSING', 'PAUSED')";

  private final Jdbi jdbi;

  TablePurges(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Throttle rows of days that ended at or before {@code before} (a day's row counts only in its day). */
  int throttleCounts(Instant before, int limit) {
    long lastEnded = before.toEpochMilli() - DAY_MILLIS;
    return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM throttle_count WHERE"
            + " (service, param_name, param_value, day_start) IN (SELECT service, param_name, param_value,"
            + " day_start FROM throttle_count WHERE day_start <= :last ORDER BY day_start LIMIT :limit)")
        .bind("last", lastEnded).bind("limit", limit).execute());
  }

  /** Booking rows of 5-minute slots that ended at or before {@code before}. */
  int bookings(Instant before, int limit) {
    long lastEnded = before.toEpochMilli() - AdmissionCounts.SLOT_MILLIS;
    return jdbi.withHandle(handle -> handle.createUpdate("DELETE FROM booking_count WHERE"
            + " (service, slot_start) IN (SELECT service, slot_start FROM booking_count"
            + " WHERE slot_start <= :last ORDER BY slot_start LIMIT :limit)")
        .bind("last", lastEnded).bind("limit", limit).execute());
  }

  /**
   * Rows of nodes whose last heartbeat (or last published agents) is older than {@code deadBefore}:
   * a {@code node} row only when no active callback is still owned by it (a live node takes those
   * over first, deleting the row itself), an {@code engine_node} row only when its node's heartbeat
   * is old as well. A live node's rows are never touched.
   */
  int deadNodes(Instant deadBefore) {
    long dead = deadBefore.toEpochMilli();
    return jdbi.inTransaction(handle -> {
      int engines = handle.createUpdate("DELETE FROM engine_node WHERE updated_at < :dead AND NOT EXISTS"
              + " (SELECT 1 FROM node WHERE node.node_id = engine_node.node_id AND node.heartbeat_at >= :dead)")
          .bind("dead", dead).execute();
      int nodes = handle.createUpdate("DELETE FROM node WHERE heartbeat_at < :dead AND NOT EXISTS"
              + " (SELECT 1 FROM callback WHERE callback.owner_node = node.node_id AND callback.state IN "
              + ACTIVE + ")")
          .bind("dead", dead).execute();
      return engines + nodes;
    });
  }

  /** Forget-me: the throttle rows counting any of these values (a customer number's stored forms). */
  int forgetThrottled(Collection<String> values) {
    if (values.isEmpty()) {
      return 0;
    }
    List<String> stored = values.stream().map(AdmissionCounts::truncate).distinct().toList();
    return jdbi.withHandle(handle -> handle
        .createUpdate("DELETE FROM throttle_count WHERE param_value IN (<values>)")
        .bindList("values", stored).execute());
  }
}

package org.opencallback.store;

import java.time.Instant;
import org.opencallback.domain.CallbackState;

/**
 * Counts an admission check reads, inside the transaction that stores the callback and under the
 * service's lock, so that two racing requests never both take the last place.
 */
public interface AdmissionQuery {
  /** Active (not COMPLETED) callbacks of the service for this customer number. */
  int activeForNumber(String service, String customerNumber);

  /**
   * Callbacks of the service in a state, counted up to {@code atMost} (the limit being checked): the
   * count reads at most that many index entries however long the queue has grown (a backlog of
   * 80,000 QUEUED made every create of the soak read all of them, inside the writer's group).
   */
  int inState(String service, CallbackState state, int atMost);

  /** Immediate callbacks of the service accepted at or after {@code since}. */
  int immediateSince(String service, Instant since);

  /** Immediate callbacks accepted in the UTC day starting at {@code dayStart} for a parameter value. */
  int parameterCount(String service, String name, String value, Instant dayStart);

  /** Places taken by scheduled callbacks with a desired time in [from, to). */
  int booked(String service, Instant from, Instant to);
}

package org.opencallback.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.opencallback.domain.Callback;
import org.opencallback.domain.StateChange;

/**
 * Durable storage of callbacks and their state history. Implementations are thread-safe; every
 * method is one transaction, and returns only after it is committed.
 */
public interface CallbackStore {

  /** Stores a new callback with its first history entry. */
  void insert(Callback callback, StateChange first);

  Optional<Callback> find(String id);

  /**
   * Replaces a callback if it is still at {@code expectedVersion} (optimistic locking), adding a
   * history entry when {@code change} is not null.
   *
   * @return false when someone else changed or deleted it first
   */
  boolean update(Callback updated, int expectedVersion, StateChange change);

  List<Callback> lookup(LookupQuery query);

  List<StateChange> history(String id);

  /** Active callbacks whose expiration time has passed, oldest first. */
  List<Callback> expiredActive(Instant now, int limit);

  /**
   * Deletes COMPLETED callbacks (with their history) that expired before {@code expiredBefore} and
   * were completed before {@code completedBefore}.
   *
   * @return how many were deleted
   */
  int purgeCompleted(Instant expiredBefore, Instant completedBefore, int limit);

  /** Total number of stored callbacks. */
  long count();
}

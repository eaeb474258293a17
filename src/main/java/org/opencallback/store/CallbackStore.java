package org.opencallback.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;

/**
 * Durable storage of callbacks and their state history. Implementations are thread-safe; every
 * method is one transaction, and returns only after it is committed.
 */
public interface CallbackStore {

  /** Stores a new callback with its first history entry. */
  void insert(Callback callback, StateChange first);

  /**
   * Stores a new callback if {@code guard} lets it, the check and the insert being one transaction
   * under the service's lock. The guard's exception propagates and nothing is stored.
   */
  void insert(Callback callback, StateChange first, AdmissionGuard guard);

  Optional<Callback> find(String id);

  /**
   * Replaces a callback if it is still at {@code expectedVersion} (optimistic locking), adding a
   * history entry when {@code change} is not null.
   *
   * @return false when someone else changed or deleted it first
   */
  boolean update(Callback updated, int expectedVersion, StateChange change);

  /**
   * As {@link #update(Callback, int, StateChange)} for a change an execution engine made, with the
   * owner as a fencing token (cluster mode, docs/cluster.md): nothing changes when another node owns
   * the callback now. Outside a cluster the same as {@code update}.
   */
  default boolean updateAsOwner(Callback updated, int expectedVersion, StateChange change) {
    return update(updated, expectedVersion, change);
  }

  /**
   * As {@link #updateAsOwner} ({@code asOwner}) or {@link #update(Callback, int, StateChange)}, for a
   * caller that has just read {@code before} (the row at the version it expects): the store need not
   * read it again.
   */
  default boolean update(Callback before, Callback updated, StateChange change, boolean asOwner) {
    return asOwner ? updateAsOwner(updated, before.version(), change) : update(updated, before.version(), change);
  }

  /** The stored callbacks of these ids, by id (absent ones left out); one read for a batch. */
  default Map<String, Callback> findAll(java.util.Collection<String> ids) {
    Map<String, Callback> found = new java.util.HashMap<>();
    for (String id : ids) {
      find(id).ifPresent(callback -> found.put(id, callback));
    }
    return found;
  }

  /** One change of {@link #updateAll}: as {@link #update(Callback, Callback, StateChange, boolean)}'s arguments. */
  record Update(Callback before, Callback updated, StateChange change) {}

  /**
   * As {@link #update(Callback, Callback, StateChange, boolean)} for each change (of distinct
   * callbacks): whether each was stored. The JDBC store makes them one transaction (when it throws,
   * none was stored, unless only the commit's answer was lost); this default, one by one.
   */
  default boolean[] updateAll(List<Update> updates, boolean asOwner) {
    boolean[] stored = new boolean[updates.size()];
    for (int i = 0; i < stored.length; i++) {
      Update update = updates.get(i);
      stored[i] = update(update.before(), update.updated(), update.change(), asOwner);
    }
    return stored;
  }

  /** Cluster mode: whether another node than this one owns the callback now. */
  default boolean ownedElsewhere(String id) {
    return false;
  }

  /** As {@link #update(Callback, int, StateChange)}, after {@code guard} let it, under the service's lock. */
  boolean update(Callback updated, int expectedVersion, StateChange change, AdmissionGuard guard);

  List<Callback> lookup(LookupQuery query);

  /** Places taken per 5-minute slot start in [from, to), slots with none left out. */
  Map<Instant, Integer> bookedSlots(String service, Instant from, Instant to);

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

  /** Deletes at most {@code limit} throttle counts of UTC days that ended at or before {@code now}; how many. */
  int purgeThrottleCounts(Instant now, int limit);

  /** Deletes at most {@code limit} bookings of 5-minute slots that ended at or before {@code now}; how many. */
  int purgeBookings(Instant now, int limit);

  /**
   * Deletes the cluster rows ({@code node}, {@code engine_node}) of nodes silent since before {@code
   * deadBefore}, never a node still owning an active callback; how many.
   */
  int purgeDeadNodes(Instant deadBefore);

  /** Forget-me: deletes the throttle counts of these parameter values (a number's stored forms). */
  int forgetThrottleCounts(java.util.Collection<String> values);

  /** SCHEDULED callbacks whose due time lies in [from, until], earliest first: id, due time and version only. */
  List<Due> scheduledDue(Instant from, Instant until, int limit);

  /** A SCHEDULED callback's id, service, due time and the version of the row they were read at. */
  record Due(String id, String service, Instant dueTime, int version) {}

  /** Those of the given callbacks that are still SCHEDULED (one read for a batch). */
  List<Due> scheduledOf(java.util.Collection<String> ids);

  /**
   * Moves the given callbacks from SCHEDULED to QUEUED, those still SCHEDULED and due at {@code
   * now}, in one transaction, with their history entries.
   *
   * @return the callbacks claimed (others were changed meanwhile and are left alone)
   */
  List<Callback> claimDue(List<String> ids, Instant now, String source);

  /**
   * The versions of those of the given callbacks that are in {@code state}, by id (one read for a
   * batch; the others are absent).
   */
  Map<String, Integer> versionsInState(java.util.Collection<String> ids, CallbackState state);

  /** Callbacks in one of the states, by id, after {@code afterId} (paging; null for the start). */
  List<Callback> inStates(java.util.Set<CallbackState> states, String afterId, int limit);

  /** Total number of stored callbacks. */
  long count();

  /** One service's callbacks of the admin query by queue, earliest desired time first. */
  List<Callback> inQueue(QueueQuery query);

  /** How many callbacks each service has in each state (states with none left out). */
  Map<String, Map<CallbackState, Long>> countByServiceAndState();

  /** How many callbacks each service has in one of the states, last changed at or after {@code changedSince}. */
  Map<String, Long> countInStates(java.util.Set<CallbackState> states, Instant changedSince);

  /** Ids of the callbacks (any service, any state) with this stored customer number. */
  List<String> idsByCustomerNumber(String customerNumber, int limit);

  /**
   * Deletes a callback, its lookup keys and its history for good, giving back the place it held in
   * its time bucket, if its state is one of {@code deletable}; one transaction under the service's
   * lock.
   */
  DeleteResult delete(String id, java.util.Set<CallbackState> deletable);

  /**
   * One page of a service's SCHEDULED callbacks that have the lookup key {@code keyName} (any value)
   * and a desired time in [from, to], in (desired time, id) order after ({@code afterTime}, {@code
   * afterId}) (both null for the first page): keyset paging, so no callback is skipped however many
   * share one desired time.
   */
  List<Callback> scheduledWithKey(String service, String keyName, Instant from, Instant to, Instant afterTime,
      String afterId, int limit);

  /** COMPLETED callbacks with this reason whose desired time lies in [from, to], earliest first. */
  List<Callback> completedWithReason(String reason, Instant from, Instant to, int limit);

  /** One page of callbacks matching the search, by desired time then id (the management UI). */
  List<Callback> search(CallbackSearch search);

  /** How many callbacks match the search, offset and limit ignored. */
  long countMatching(CallbackSearch search);

  /** Per service, how many callbacks in {@code state} have a desired time in [from, to). */
  Map<String, Long> countDesiredBetween(CallbackState state, Instant from, Instant to);

  /**
   * Callbacks accepted and completed per service in buckets of {@code bucket} from {@code from} to
   * now; buckets with neither are left out.
   */
  List<ActivityCount> activity(Instant from, java.time.Duration bucket);
}

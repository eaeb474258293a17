package org.opencallback.callback;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.StateChange;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.store.CallbackStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one port engines report states through (and housekeeping, and notifications): stores each
 * change with optimistic locking and tells the listeners. It needs only the store and the listeners,
 * so the wiring builds it before the engines and gives it to them: no late binding, no cycle through
 * the API's {@link CallbackService}. Thread-safe.
 */
public final class StateReports implements CallbackReporter {
  private static final Logger LOG = LoggerFactory.getLogger(StateReports.class);
  private static final int MAX_ATTEMPTS = 10;

  private final CallbackStore store;
  private final Clock clock;
  private final CallbackListener listener;

  public StateReports(CallbackStore store, Clock clock, CallbackListener listener) {
    this.store = store;
    this.clock = clock;
    this.listener = listener;
  }

  @Override
  public Optional<Callback> report(
      String id, CallbackState state, String reason, Map<String, Object> properties) {
    return report(id, state, reason, properties, false);
  }

  /**
   * A report from this node's engines, with the owner as fencing token (cluster mode,
   * docs/cluster.md): when another node owns the callback now (it took it over), nothing changes,
   * the refusal is logged and the answer is "no longer active", so the engine forgets it.
   */
  public Optional<Callback> reportAsOwner(
      String id, CallbackState state, String reason, Map<String, Object> properties) {
    return report(id, state, reason, properties, true);
  }

  private Optional<Callback> report(
      String id, CallbackState state, String reason, Map<String, Object> properties, boolean asOwner) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Callback> found = store.find(id);
      // no state: properties only, in whatever state the callback is by now
      CallbackState target = state != null ? state : found.map(Callback::state).orElse(CallbackState.COMPLETED);
      // a COMPLETED callback takes more properties (e.g. the agent's disposition) when its own
      // state and reason are reported again
      boolean addsToCompleted = found.isPresent() && found.get().state() == CallbackState.COMPLETED
          && target == CallbackState.COMPLETED && Objects.equals(reason, found.get().reason())
          && !properties.isEmpty();
      // OpenCallback's own engines (and the hand-off) report only the usual flow
      if (found.isEmpty() || !(addsToCompleted || found.get().state().usuallyMovesTo(target))) {
        return Optional.empty();
      }
      Callback current = found.get();
      Instant now = clock.instant();
      Callback next = current;
      if (!properties.isEmpty()) {
        // what engines report is the server's own bookkeeping, never the request's properties
        next = next.withServerState(properties, now);
      }
      boolean stateChange = target != current.state() || (reason != null && !reason.equals(current.reason()));
      if (stateChange) {
        next = next.withState(target, reason, target == CallbackState.SCHEDULED ? current.dueTime() : null, now);
      }
      if (next == current) {
        return Optional.of(current);
      }
      Callback stored =
          next.atVersion(current.version() + 1, now);
      StateChange change = stateChange ? new StateChange(target, reason, now, "engine") : null;
      if (asOwner ? store.updateAsOwner(stored, current.version(), change)
          : store.update(stored, current.version(), change)) {
        listener.changed(current, stored);
        return Optional.of(stored);
      }
      if (asOwner && store.ownedElsewhere(id)) {
        // fenced: this node lost the callback to another (a take-over); its engine forgets it
        LOG.warn("Report {} {} of callback {} ignored: another node owns it now", target, reason == null ? "" : reason, id);
        return Optional.empty();
      }
    }
    throw CallbackService.conflict(id);
  }

}

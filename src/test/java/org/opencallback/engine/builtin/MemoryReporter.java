package org.opencallback.engine.builtin;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.opencallback.engine.CallbackReporter;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;

/**
 * The callback store as the engine sees it, in memory: the allowed transitions of {@link
 * CallbackState}, properties merged, and (like the callback service) properties added to a COMPLETED
 * callback when the same state and reason are reported again. Thread-safe.
 */
final class MemoryReporter implements CallbackReporter {
  private final Map<String, Callback> callbacks = new HashMap<>();
  private final Map<String, List<String>> history = new HashMap<>();

  synchronized void add(Callback callback) {
    callbacks.put(callback.id(), callback);
    history.put(callback.id(), new ArrayList<>(List.of(callback.state().name())));
  }

  @Override
  public synchronized Optional<Callback> report(
      String id, CallbackState state, String reason, Map<String, Object> serverState) {
    Callback current = callbacks.get(id);
    if (current == null) {
      return Optional.empty();
    }
    boolean sameCompleted = current.state() == CallbackState.COMPLETED && state == CallbackState.COMPLETED
        && Objects.equals(reason, current.reason());
    if (!sameCompleted && !current.state().usuallyMovesTo(state)) {
      return Optional.empty();
    }
    Callback next = current.withServerState(serverState, Instant.now());
    if (state != current.state()) {
      next = next.withState(state, reason, null, Instant.now());
      history.get(id).add(reason == null ? state.name() : state.name() + " " + reason);
    }
    callbacks.put(id, next);
    return Optional.of(next);
  }

  /** What the callback service does on cancel: COMPLETED / CANCELLED. */
  synchronized void cancel(String id) {
    Callback current = callbacks.get(id);
    callbacks.put(id, current.withState(CallbackState.COMPLETED, "CANCELLED", null, Instant.now()));
    history.get(id).add("COMPLETED CANCELLED");
  }

  synchronized Callback get(String id) {
    return callbacks.get(id);
  }

  synchronized CallbackState state(String id) {
    return callbacks.get(id).state();
  }

  /** Every state it went through, e.g. {@code [QUEUED, ROUTING, PROCESSING, COMPLETED AGENT_CONNECTED]}. */
  synchronized List<String> history(String id) {
    return List.copyOf(history.get(id));
  }
}

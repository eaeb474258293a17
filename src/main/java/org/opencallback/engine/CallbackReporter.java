package org.opencallback.engine;

import java.util.Map;
import java.util.Optional;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackState;

/** How an engine reports progress: the same transitions an ORS reports with {@code PUT}. Thread-safe. */
public interface CallbackReporter {
  /**
   * Moves an active callback to {@code state} (with a reason, and server-owned state to add), if the
   * transition is allowed. A null {@code state} adds the server state and keeps the state the
   * callback is in, whatever it is by then (e.g. an engine storing its session id while the receiver
   * already reported ROUTING). {@code serverState} goes to {@code Callback#serverState()} (keys of
   * {@code domain.ServerState}), never to the request's properties.
   *
   * @return the stored callback, or empty when it was no longer active (e.g. cancelled meanwhile)
   */
  Optional<Callback> report(String callbackId, CallbackState state, String reason, Map<String, Object> serverState);
}

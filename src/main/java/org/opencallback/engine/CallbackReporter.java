package org.opencallback.engine;

import java.util.ArrayList;
import java.util.List;
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

  /** One report of {@link #reportAll}: the arguments of {@link #report}. */
  record Report(String callbackId, CallbackState state, String reason, Map<String, Object> serverState) {}

  /**
   * The reports in their order, each answered as {@link #report} answers it, or null when that one
   * report failed (logged; the others stand). An implementation may store reports of distinct
   * callbacks in one transaction; each is still stored before its listeners hear of it. When this
   * throws, none of the reports was stored.
   */
  default List<Optional<Callback>> reportAll(List<Report> reports) {
    List<Optional<Callback>> answers = new ArrayList<>(reports.size());
    for (Report report : reports) {
      try {
        answers.add(report(report.callbackId(), report.state(), report.reason(), report.serverState()));
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(CallbackReporter.class).error("Report of {} {} for callback {} failed",
            report.state(), report.reason() == null ? "" : report.reason(), report.callbackId(), e);
        answers.add(null);
      }
    }
    return answers;
  }
}

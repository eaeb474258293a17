package org.opencallback.callback;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
      Plan plan = plan(store.find(id), state, reason, properties);
      if (plan.answer != null) {
        return plan.answer;
      }
      if (store.update(plan.current, plan.stored, plan.change, asOwner)) {
        listener.changed(plan.current, plan.stored);
        return Optional.of(plan.stored);
      }
      if (asOwner && store.ownedElsewhere(id)) {
        // fenced: this node lost the callback to another (a take-over); its engine forgets it
        LOG.warn("Report {} {} of callback {} ignored: another node owns it now", plan.stored.state(), reason == null ? "" : reason, id);
        return Optional.empty();
      }
    }
    throw CallbackService.conflict(id);
  }

  /**
   * What a report changes, given the callback as stored: an answer at once (nothing to store), or
   * the change to store.
   */
  private Plan plan(Optional<Callback> found, CallbackState state, String reason, Map<String, Object> properties) {
    // no state: properties only, in whatever state the callback is by now
    CallbackState target = state != null ? state : found.map(Callback::state).orElse(CallbackState.COMPLETED);
    // a COMPLETED callback takes more properties (e.g. the agent's disposition) when its own
    // state and reason are reported again
    boolean addsToCompleted = found.isPresent() && found.get().state() == CallbackState.COMPLETED
        && target == CallbackState.COMPLETED && Objects.equals(reason, found.get().reason())
        && !properties.isEmpty();
    // OpenCallback's own engines (and the hand-off) report only the usual flow
    if (found.isEmpty() || !(addsToCompleted || found.get().state().usuallyMovesTo(target))) {
      return new Plan(Optional.empty(), null, null, null);
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
      return new Plan(Optional.of(current), null, null, null);
    }
    StateChange change = stateChange ? new StateChange(target, reason, now, "engine") : null;
    return new Plan(null, current, next.atVersion(current.version() + 1, now), change);
  }

  /** A report's outcome: {@code answer} when nothing is to be stored, else the change to store. */
  private record Plan(Optional<Callback> answer, Callback current, Callback stored, StateChange change) {}

  /** This node's engines' port: their reports carry this node as owner ({@link #reportAsOwner}), several at once stored together. */
  public CallbackReporter asOwner() {
    return new CallbackReporter() {
      @Override
      public Optional<Callback> report(String id, CallbackState state, String reason, Map<String, Object> serverState) {
        return reportAsOwner(id, state, reason, serverState);
      }

      @Override
      public List<Optional<Callback>> reportAll(List<Report> reports) {
        return StateReports.this.reportAll(reports, true);
      }
    };
  }

  @Override
  public List<Optional<Callback>> reportAll(List<Report> reports) {
    return reportAll(reports, false);
  }

  /**
   * Reports of distinct callbacks: one read for all, their changes stored in one transaction, then
   * the listeners told in the reports' order. A report whose callback changed meanwhile (or, as
   * owner, was taken over) is then made on its own, as {@link #report} makes it. When the read or
   * the transaction fails, this throws and nothing was stored.
   */
  private List<Optional<Callback>> reportAll(List<Report> reports, boolean asOwner) {
    if (reports.stream().map(Report::callbackId).distinct().count() < reports.size()) {
      // the same callback twice: one after the other, each seeing the one before
      List<Optional<Callback>> answers = new ArrayList<>(reports.size());
      for (Report report : reports) {
        answers.add(safely(report, asOwner));
      }
      return answers;
    }
    Map<String, Callback> found = store.findAll(reports.stream().map(Report::callbackId).toList());
    List<Plan> plans = new ArrayList<>(reports.size());
    List<CallbackStore.Update> updates = new ArrayList<>();
    for (Report report : reports) {
      Plan plan = plan(Optional.ofNullable(found.get(report.callbackId())), report.state(), report.reason(),
          report.serverState());
      plans.add(plan);
      if (plan.answer == null) {
        updates.add(new CallbackStore.Update(plan.current, plan.stored, plan.change));
      }
    }
    boolean[] stored;
    try {
      stored = store.updateAll(updates, asOwner);
    } catch (RuntimeException e) {
      LOG.warn("Storing {} reports together failed ({}); each is made on its own", updates.size(), e.toString());
      return oneByOne(reports, plans, asOwner);
    }
    List<Optional<Callback>> answers = new ArrayList<>(reports.size());
    int next = 0;
    for (int i = 0; i < reports.size(); i++) {
      Plan plan = plans.get(i);
      if (plan.answer != null) {
        answers.add(plan.answer);
      } else if (stored[next++]) {
        try {
          listener.changed(plan.current, plan.stored);
          answers.add(Optional.of(plan.stored));
        } catch (RuntimeException e) {
          LOG.error("Report of {} for callback {}: a listener failed", plan.stored.state(), plan.stored.id(), e);
          answers.add(null);
        }
      } else {
        answers.add(safely(reports.get(i), asOwner)); // changed meanwhile: read again, as one report
      }
    }
    return answers;
  }

  /**
   * After a failed batch: each report on its own. A change the batch stored after all (its commit
   * failed only to answer) is recognised by its version, state and reason, and not made twice.
   */
  private List<Optional<Callback>> oneByOne(List<Report> reports, List<Plan> plans, boolean asOwner) {
    List<Optional<Callback>> answers = new ArrayList<>(reports.size());
    for (int i = 0; i < reports.size(); i++) {
      Plan plan = plans.get(i);
      if (plan.answer != null) {
        answers.add(plan.answer);
        continue;
      }
      try {
        Optional<Callback> now = store.find(plan.stored.id());
        if (now.isPresent() && now.get().version() == plan.stored.version()
            && now.get().state() == plan.stored.state() && Objects.equals(now.get().reason(), plan.stored.reason())) {
          listener.changed(plan.current, now.get());
          answers.add(now);
          continue;
        }
      } catch (RuntimeException e) {
        LOG.error("Report of {} for callback {} failed", plan.stored.state(), plan.stored.id(), e);
        answers.add(null);
        continue;
      }
      answers.add(safely(reports.get(i), asOwner));
    }
    return answers;
  }

  private Optional<Callback> safely(Report report, boolean asOwner) {
    try {
      return report(report.callbackId(), report.state(), report.reason(), report.serverState(), asOwner);
    } catch (RuntimeException e) {
      LOG.error("Report of {} {} for callback {} failed", report.state(), report.reason() == null ? "" : report.reason(),
          report.callbackId(), e);
      return null;
    }
  }

}

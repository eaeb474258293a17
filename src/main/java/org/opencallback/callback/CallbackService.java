package org.opencallback.callback;

import org.opencallback.callback.admission.CalendarRules;
import org.opencallback.callback.admission.CustomerNumbers;
import org.opencallback.callback.admission.DesiredTimeRules;
import org.opencallback.callback.admission.EwtEstimator;
import org.opencallback.callback.admission.QueueRules;
import org.opencallback.callback.admission.ServiceCalendar;
import org.opencallback.callback.admission.ServiceCalendars;
import org.opencallback.callback.admission.StartRequests;
import org.opencallback.callback.admission.Timing;
import org.opencallback.callback.admission.Requests;
import org.opencallback.callback.admission.RequestedUrls;
import org.opencallback.callback.admission.IdGenerator;
import org.opencallback.callback.admission.StartResult;

import static org.opencallback.callback.admission.Requests.MAX_REASON_LENGTH;
import static org.opencallback.callback.admission.Requests.SYSTEM_KEYS;
import static org.opencallback.callback.admission.Requests.isBlank;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.opencallback.domain.ErrorCode;
import org.opencallback.domain.ServerState;
import org.opencallback.domain.StateChange;
import org.opencallback.engine.EngineException;
import org.opencallback.scheduling.ExecutionGateway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.opencallback.store.AdmissionGuard;
import org.opencallback.store.CallbackStore;

/**
 * The callback lifecycle as the API drives it: start or schedule, reschedule, state updates sent
 * with {@code PUT}, cancel, queue position. Engines report through {@link StateReports} instead.
 * Thread-safe; concurrent changes of one callback are serialised by optimistic locking in the store.
 */
public final class CallbackService {
  private static final Logger LOG = LoggerFactory.getLogger(CallbackService.class);
  private static final int MAX_ATTEMPTS = 10;
  /** Set on a callback whose first state was forced: an external system drives it, not an engine. */
  public static final String EXTERNAL_LIFECYCLE = Callback.EXTERNAL_LIFECYCLE;

  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final Clock clock;
  private final Timing timing;
  private final CallbackListener listener;
  private final ServiceCalendars calendars;
  private final ExecutionGateway execution;
  private final StartRequests starts;
  private final RequestedUrls urls;

  /**
   * @param outboundPolicy the outbound policy's check, without a name lookup, of the URLs a request
   *     chooses for the server to call (refused at admission: 400 / 40040)
   */
  public CallbackService(
      Supplier<Configuration> config,
      CallbackStore store,
      Clock clock,
      IdGenerator ids,
      EwtEstimator ewt,
      CallbackListener listener,
      CustomerNumbers numbers,
      ServiceCalendars calendars,
      ExecutionGateway execution,
      RequestedUrls.Check outboundPolicy) {
    this.config = config;
    this.store = store;
    this.clock = clock;
    this.timing = new Timing(ewt);
    this.listener = listener;
    this.calendars = calendars;
    this.execution = execution;
    this.urls = new RequestedUrls(outboundPolicy);
    this.starts = new StartRequests(store, clock, ids, timing, listener, numbers, calendars, execution, urls);
  }

  /** The service's configuration, or 404 / 40010 when no such callback service is configured. */
  public ServiceConfig service(Configuration configuration, String name) {
    return Requests.service(configuration, name);
  }

  /** Start or schedule a callback ({@code POST /genesys/1/service/callback/{svc}}), no headers. */
  public StartResult start(String serviceName, Map<String, Object> request) {
    return start(serviceName, request, Map.of());
  }

  /**
   * Start or schedule a callback ({@code POST /genesys/1/service/callback/{svc}}). The checks run
   * in the order of docs/admission.md; a refusal stores nothing and is reported to the listener.
   *
   * @param headers the request's HTTP headers, names in lower case (throttled parameters may come
   *     as headers)
   */
  public StartResult start(String serviceName, Map<String, Object> request, Map<String, String> headers) {
    try {
      return starts.start(config.get(), serviceName, request, headers);
    } catch (CallbackException refusal) {
      if (refusal.code() != ErrorCode.SUBMIT_ATTEMPTS_EXHAUSTED) { // that one was stored
        listener.rejected(serviceName, refusal);
      }
      throw refusal;
    }
  }

  /** One callback of a service; 40030 when there is none. */
  public Callback get(String serviceName, String id) {
    return find(serviceName, id)
        .orElseThrow(() -> notFound("Callback " + id + " not found in service " + serviceName, id));
  }

  /** A callback by id in any service. */
  public Optional<Callback> find(String id) {
    return store.find(id);
  }

  public List<StateChange> history(String serviceName, String id) {
    get(serviceName, id);
    return store.history(id);
  }

  /**
   * Cancel ({@code DELETE}): an active callback ends COMPLETED with {@code reason}.
   *
   * @param reason CANCELLED from the API, CANCELLED_BY_ADMIN from the admin API
   */
  public Callback cancel(String serviceName, String id, String reason, String source) {
    return cancel(serviceName, id, reason, source, false);
  }

  /**
   * Cancel, telling the callback's execution engine first.
   *
   * @param discardEngineFailure mark it cancelled even when the engine cannot be told ({@code
   *     discard_ors_failure=true}); otherwise such a failure answers 500 / 50030 and nothing changes
   */
  public Callback cancel(String serviceName, String id, String reason, String source, boolean discardEngineFailure) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Callback current =
          find(serviceName, id)
              .orElseThrow(() -> notFound("No such request to cancel : [" + id + "]", id));
      if (!current.state().isActive()) {
        throw new CallbackException(
            ErrorCode.INVALID_OPERATION,
            CallbackException.Fault.NOT_ALLOWED,
            "Request already cancelled or completed : [" + id + "]",
            Map.of("id", id, "state", current.state().name()),
            Map.of());
      }
      try {
        execution.cancel(current);
      } catch (EngineException e) {
        if (!discardEngineFailure) {
          throw new CallbackException(
              ErrorCode.ENGINE_ERROR,
              CallbackException.Fault.FAILURE,
              "Cancel of callback " + id + " failed: " + e.getMessage(),
              Map.of("id", id, "message", String.valueOf(e.getMessage())),
              Map.of());
        }
      }
      Instant now = clock.instant();
      Callback cancelled = current.withState(CallbackState.COMPLETED, reason, null, now);
      if (store.update(cancelled, current.version(), new StateChange(CallbackState.COMPLETED, reason, now, source))) {
        listener.changed(current, cancelled);
        return cancelled;
      }
    }
    throw conflict(id);
  }

  /**
   * Reschedule or update ({@code PUT}): {@code _new_desired_time} reschedules a SCHEDULED callback;
   * otherwise {@code _callback_state} (with {@code _reason} / {@code _callback_reason}) reports
   * progress; other keys update properties, an empty value removing the key.
   */
  public Callback update(String serviceName, String id, Map<String, Object> given) {
    return update(serviceName, id, given, true);
  }

  /**
   * As {@link #update(String, String, Map)}, from a client that is ({@code fromEngine}) or is not
   * known to be the execution engine: a state report ({@code _callback_state}) of a service whose
   * {@code _state_reports} (else {@code [server] state-reports}) is {@code engine-only} needs the
   * engine (403 otherwise, nothing changed).
   */
  public Callback update(String serviceName, String id, Map<String, Object> given, boolean fromEngine) {
    Configuration configuration = config.get();
    if (!fromEngine && !isBlank(given.get("_callback_state")) && engineOnly(configuration, serviceName)) {
      throw new CallbackException(
          ErrorCode.INVALID_OPERATION,
          CallbackException.Fault.NOT_PERMITTED,
          "State reports of service " + serviceName + " are accepted from its execution engine only"
              + " (_state_reports: engine-only)",
          Map.of("id", id, "service", serviceName),
          Map.of());
    }
    // server-owned keys are ignored: a request never sets the server's bookkeeping
    Map<String, Object> request = ServerState.withoutServerKeys(given);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Callback current = get(serviceName, id);
      Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
      Callback next = withUpdatedProperties(current, request, now);
      // a new or changed httpcb target: the outbound policy, as at start (docs/security.md)
      urls.update(current.properties(), next.properties());
      StateChange change = null;
      AdmissionGuard guard = null;
      if (request.containsKey("_new_desired_time")) {
        if (current.state() != CallbackState.SCHEDULED) {
          throw new CallbackException(
              ErrorCode.INVALID_OPERATION,
              CallbackException.Fault.NOT_ALLOWED,
              "Callback '" + id + "' is no longer scheduled. State=" + current.state().name(),
              Map.of("id", id, "state", current.state().name()),
              Map.of());
        }
        ServiceConfig service = service(configuration, serviceName);
        Instant desired =
            Timing.desiredTime(request.get("_new_desired_time"), "_new_desired_time")
                .orElseThrow(() -> CallbackException.invalidParameter("_new_desired_time is empty"));
        Map<String, Object> merged = new LinkedHashMap<>(next.properties());
        DesiredTimeRules.check(service, desired, now);
        boolean immediate = timing.isImmediate(service, merged, desired, now);
        CallbackState state = immediate ? CallbackState.QUEUED : CallbackState.SCHEDULED;
        next =
            next.rescheduled(
                desired, Timing.expiration(service, desired, now), state,
                immediate ? null : timing.dueTime(service, merged, desired), now);
        change = new StateChange(state, null, now, "reschedule");
        ServiceCalendar calendar = calendars.of(configuration, service);
        Instant bucket = calendar.buckets().bucketStart(desired);
        int ownPlace = current.holdsPlace()
                && calendar.buckets().bucketStart(current.desiredTime()).equals(bucket) ? 1 : 0;
        Instant checkedAt = now;
        guard = query -> {
          CalendarRules.check(calendar, service, desired, immediate, checkedAt, query, ownPlace);
          QueueRules.reschedule(configuration, service, immediate, query);
          return List.of();
        };
      } else if (!isBlank(request.get("_callback_state"))) {
        String text = String.valueOf(request.get("_callback_state"));
        CallbackState target =
            CallbackState.parse(text)
                .orElseThrow(
                    () ->
                        CallbackException.invalidParameter(
                            "Invalid _callback_state '" + text + "': expected one of SCHEDULED,"
                                + " QUEUED, ROUTING, PROCESSING, PAUSED, COMPLETED"));
        if (!current.state().canMoveTo(target)) {
          throw new CallbackException(
              ErrorCode.INVALID_OPERATION,
              CallbackException.Fault.NOT_ALLOWED,
              "Callback '" + id + "' cannot go from " + current.state().name() + " to " + target.name(),
              Map.of("id", id, "state", current.state().name(), "requested", target.name()),
              Map.of());
        }
        if (!current.state().usuallyMovesTo(target)) {
          // accepted as GMS accepts it (e.g. ROUTING again after PROCESSING), but worth seeing
          LOG.info("Callback {} of {} reported an unusual state sequence: {} -> {}", id, current.service(),
              current.state().name(), target.name());
        }
        String reason = textOrNull(request.get("_callback_reason"));
        if (reason == null) {
          reason = textOrNull(request.get("_reason"));
        }
        if (reason != null && reason.length() > MAX_REASON_LENGTH) {
          throw CallbackException.invalidParameter(
              "_callback_reason is longer than " + MAX_REASON_LENGTH + " characters");
        }
        if (target == CallbackState.COMPLETED && reason == null) {
          reason = CompletionReason.NOT_AVAILABLE.name();
        }
        if (target != current.state() || reason != null) {
          Instant due = target == CallbackState.SCHEDULED ? current.dueTime() : null;
          next = next.withState(target, reason, due, now);
          change = new StateChange(target, reason, now, "report");
        }
      } else if (!current.state().isActive() && !next.properties().equals(current.properties())) {
        throw new CallbackException(
            ErrorCode.INVALID_OPERATION,
            CallbackException.Fault.NOT_ALLOWED,
            "Callback '" + id + "' is COMPLETED and cannot be changed",
            Map.of("id", id, "state", current.state().name()),
            Map.of());
      }
      if (next.equals(current)) {
        return current;
      }
      Callback stored = next.atVersion(current.version() + 1, now);
      boolean updated = guard == null
          ? store.update(stored, current.version(), change)
          : store.update(stored, current.version(), change, guard);
      if (updated) {
        listener.changed(current, stored);
        return stored;
      }
    }
    throw conflict(id);
  }

  /** Queue position of a QUEUED callback from its engine. */
  public org.opencallback.engine.QueuePosition position(String id) {
    Callback callback = store.find(id)
        .orElseThrow(() -> notFound("Callback " + id + " not found", id));
    if (callback.state() != CallbackState.QUEUED) {
      throw new CallbackException(
          ErrorCode.INVALID_OPERATION,
          CallbackException.Fault.NOT_ALLOWED,
          "Callback " + id + " is not QUEUED. State=" + callback.state().name(),
          Map.of("id", id, "state", callback.state().name()),
          Map.of());
    }
    Optional<org.opencallback.engine.QueuePosition> position;
    try {
      position = execution.position(callback);
    } catch (EngineException e) {
      throw new CallbackException(
          ErrorCode.ENGINE_ERROR,
          CallbackException.Fault.FAILURE,
          "Queue position of callback " + id + " failed: " + e.getMessage(),
          Map.of("id", id, "message", String.valueOf(e.getMessage())),
          Map.of());
    }
    return position
        .orElseThrow(() -> new CallbackException(
            ErrorCode.ENGINE_ERROR,
            CallbackException.Fault.FAILURE,
            "Queue position of callback " + id + " is not known to its engine: 404 Not Found",
            Map.of("id", id),
            Map.of()));
  }

  /** {@code _state_reports} of the service, else {@code [server] state-reports}, is engine-only. */
  private static boolean engineOnly(Configuration configuration, String serviceName) {
    String setting = configuration.service(serviceName)
        .flatMap(service -> service.options().get("_state_reports"))
        .orElseGet(() -> configuration.server().get("state-reports").orElse("any"));
    return "engine-only".equalsIgnoreCase(setting.trim());
  }

  private Optional<Callback> find(String serviceName, String id) {
    return store.find(id).filter(c -> c.service().equals(serviceName));
  }

  private static Callback withUpdatedProperties(Callback current, Map<String, Object> request, Instant now) {
    Map<String, Object> properties = new LinkedHashMap<>(current.properties());
    for (Map.Entry<String, Object> entry : request.entrySet()) {
      if (SYSTEM_KEYS.contains(entry.getKey())) {
        continue;
      }
      if (isBlank(entry.getValue())) {
        properties.remove(entry.getKey());
      } else {
        properties.put(entry.getKey(), entry.getValue());
      }
    }
    if (properties.equals(current.properties())) {
      return current;
    }
    return current.withProperties(properties, current.customerNumber(), now);
  }

  private static CallbackException notFound(String message, String id) {
    return new CallbackException(
        ErrorCode.NOT_FOUND, CallbackException.Fault.NOT_FOUND, message, Map.of("id", id), Map.of());
  }

  static CallbackException conflict(String id) {
    return new CallbackException(
        ErrorCode.INTERNAL_ERROR,
        CallbackException.Fault.BUSY,
        "Error processing callback " + id + ": too many concurrent changes, try again",
        Map.of("message", "too many concurrent changes"),
        Map.of());
  }

  private static String textOrNull(Object value) {
    return isBlank(value) ? null : String.valueOf(value).trim();
  }
}

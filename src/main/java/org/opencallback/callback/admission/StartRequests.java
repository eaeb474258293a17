package org.opencallback.callback.admission;


import static org.opencallback.domain.Callback.EXTERNAL_LIFECYCLE;
import static org.opencallback.callback.admission.Requests.MAX_NUMBER_LENGTH;
import static org.opencallback.callback.admission.Requests.SYSTEM_KEYS;
import static org.opencallback.callback.admission.Requests.isBlank;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackListener;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.opencallback.domain.ErrorCode;
import org.opencallback.domain.ServerState;
import org.opencallback.domain.StateChange;
import org.opencallback.scheduling.ExecutionGateway;
import org.opencallback.store.AdmissionGuard;
import org.opencallback.store.CallbackStore;

/**
 * The start pipeline ({@code POST /genesys/1/service/callback/{svc}}): redial, options, redirect,
 * lookup keys, desired time, number policy, exception patterns, time limits, then office hours,
 * capacity and limits checked and stored in one transaction — in the order of docs/admission.md.
 * A refusal throws and stores nothing. Thread-safe.
 */
public final class StartRequests {
  private static final int MAX_REDIRECTS = 5;

  private final CallbackStore store;
  private final Clock clock;
  private final IdGenerator ids;
  private final Timing timing;
  private final CallbackListener listener;
  private final CustomerNumbers numbers;
  private final ServiceCalendars calendars;
  private final ExecutionGateway execution;
  private final RequestedUrls urls;
  private final ExceptionPatterns patterns = new ExceptionPatterns();

  public StartRequests(CallbackStore store, Clock clock, IdGenerator ids, Timing timing, CallbackListener listener,
      CustomerNumbers numbers, ServiceCalendars calendars, ExecutionGateway execution, RequestedUrls urls) {
    this.store = store;
    this.clock = clock;
    this.ids = ids;
    this.timing = timing;
    this.listener = listener;
    this.numbers = numbers;
    this.calendars = calendars;
    this.execution = execution;
    this.urls = urls;
  }

  public StartResult start(Configuration configuration, String serviceName, Map<String, Object> request,
      Map<String, String> headers) {
    return start(configuration, serviceName, request, headers, 0);
  }

  private StartResult start(
      Configuration configuration,
      String serviceName,
      Map<String, Object> original,
      Map<String, String> headers,
      int redirects) {
    ServiceConfig configured = Requests.service(configuration, serviceName);
    Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);

    // 1. redial: copy a COMPLETED callback, the request's own fields winning; server-owned keys
    //    are ignored, whether sent or copied (docs/security.md, "Server-owned state")
    Map<String, Object> request =
        ServerState.withoutServerKeys(Redial.merge(store, ServerState.withoutServerKeys(original)));
    // 2. token variables and overwritable options
    RequestOptions.Resolved resolved = RequestOptions.resolve(configured, request);
    ServiceConfig service = resolved.service();
    // 3. redirect to another service
    String redirect = service.options().get("_redirect").orElse("").trim();
    if (!redirect.isEmpty()) {
      return redirect(configuration, serviceName, redirect, request, headers, redirects);
    }
    // 3b. URLs the request chose for the server to call: the outbound policy, no DNS (docs/security.md)
    urls.start(resolved.changes(), request);
    // 4. mandatory lookup keys
    for (String key : service.mandatoryLookupKeys()) {
      if (isBlank(request.get(key))) {
        throw new CallbackException(
            ErrorCode.INVALID_PARAMETER,
            CallbackException.Fault.NOT_ALLOWED,
            "Mandatory parameter " + key + " is missing (option _mandatory_customer_lookup_keys)",
            Map.of("parameter", key),
            Map.of());
      }
    }
    // 5. desired time and forced state
    Instant desired = Timing.desiredTime(request.get("_desired_time"), "_desired_time").orElse(now);
    Optional<CallbackState> forced = Optional.empty();
    if (!isBlank(request.get("_callback_state"))) {
      String text = String.valueOf(request.get("_callback_state"));
      forced = CallbackState.parse(text);
      if (forced.isEmpty()) {
        throw CallbackException.invalidParameter(
            "Invalid _callback_state '" + text + "': expected one of SCHEDULED, QUEUED, ROUTING,"
                + " PROCESSING, PAUSED, COMPLETED");
      }
    }
    // 6. phone number policy
    String customerNumber = null;
    if (!isBlank(request.get("_customer_number"))) {
      String given = String.valueOf(request.get("_customer_number"));
      if (given.length() > MAX_NUMBER_LENGTH) {
        throw CallbackException.invalidParameter(
            "_customer_number is longer than " + MAX_NUMBER_LENGTH + " characters");
      }
      customerNumber = numbers.admit(service, given);
    }
    Map<String, Object> checked = new LinkedHashMap<>(request);
    if (customerNumber != null) {
      checked.put("_customer_number", customerNumber);
    }
    // 7. exception patterns
    patterns.check(configuration, service, checked);
    // 8. how far ahead or back
    DesiredTimeRules.check(service, desired, now);

    boolean immediate =
        isBlank(request.get("_desired_time")) || timing.isImmediate(service, request, desired, now);
    CallbackState state = forced.orElse(immediate ? CallbackState.QUEUED : CallbackState.SCHEDULED);
    // a forced first state means an external system drives the lifecycle: no dispatch, no engine
    Instant due = state == CallbackState.SCHEDULED && forced.isEmpty() ? timing.dueTime(service, request, desired) : null;
    String reason = state == CallbackState.COMPLETED ? CompletionReason.NOT_AVAILABLE.name() : null;

    Map<String, Object> properties = new LinkedHashMap<>();
    request.forEach(
        (key, value) -> {
          if (!SYSTEM_KEYS.contains(key)) {
            properties.put(key, value);
          }
        });
    Map<String, Object> serverState = forced.isPresent() ? Map.of(EXTERNAL_LIFECYCLE, true) : Map.of();
    Callback callback =
        new Callback(
            ids.next(), serviceName, state, reason, customerNumber, desired, now,
            Timing.expiration(service, desired, now), due, properties, serverState, immediate, 1, now,
            resolved.changes());
    // 9. office hours, capacity and limits, checked and stored in one transaction under the
    //    service's lock
    ServiceCalendar calendar = calendars.of(configuration, service);
    AdmissionGuard limits = QueueRules.guard(configuration, service, customerNumber, immediate,
        throttledValues(service, checked, headers), now);
    store.insert(
        callback,
        new StateChange(state, reason, now, "api"),
        query -> {
          CalendarRules.check(calendar, service, desired, immediate, now, query, 0);
          return limits.check(query);
        });
    listener.created(callback);
    if (state == CallbackState.QUEUED && !callback.isExternallyDriven() && !execution.submitNow(callback)) {
      int attempts = Math.max(1, service.options().integer("_max_ors_submit_attempts", 3));
      throw new CallbackException(
          ErrorCode.SUBMIT_ATTEMPTS_EXHAUSTED,
          CallbackException.Fault.FAILURE,
          "Callback " + callback.id() + " reached maximum attempts to submit to ORS reached (" + attempts + ")",
          Map.of("id", callback.id(), "max-attempts", attempts),
          Map.of());
    }
    return new StartResult(callback, state == CallbackState.QUEUED && immediate);
  }

  private StartResult redirect(
      Configuration configuration,
      String from,
      String to,
      Map<String, Object> request,
      Map<String, String> headers,
      int redirects) {
    if (redirects >= MAX_REDIRECTS || configuration.service(to).isEmpty()) {
      String why = redirects >= MAX_REDIRECTS
          ? "more than " + MAX_REDIRECTS + " redirects"
          : "service '" + to + "' is not configured";
      throw new CallbackException(
          ErrorCode.REDIRECT_FAILED,
          CallbackException.Fault.FAILURE,
          "Redirect of service " + from + " failed: " + why,
          Map.of("service", from, "redirect", to),
          Map.of());
    }
    Map<String, Object> forwarded = new LinkedHashMap<>(request);
    forwarded.remove("_redirect");
    try {
      return start(configuration, to, forwarded, headers, redirects + 1);
    } catch (CallbackException e) {
      if (e.code() == ErrorCode.REDIRECT_FAILED || e.code() == ErrorCode.SUBMIT_ATTEMPTS_EXHAUSTED) {
        throw e;
      }
      Map<String, Object> properties = new LinkedHashMap<>(e.properties());
      properties.put("service", from);
      properties.put("redirect", to);
      properties.put("redirect_code", e.code().code());
      throw new CallbackException(
          ErrorCode.REDIRECT_FAILED, e.fault(), e.getMessage(), properties, e.extra());
    }
  }

  /** The values of {@code _throttle_request_parameters} in this request: header first, then body. */
  private static Map<String, String> throttledValues(
      ServiceConfig service, Map<String, Object> request, Map<String, String> headers) {
    boolean fromHeaders = service.options().bool("_enable_throttle_header_parameters", true);
    Map<String, String> values = new LinkedHashMap<>();
    for (String parameter : service.options().list("_throttle_request_parameters")) {
      String header = fromHeaders ? headers.get(parameter.toLowerCase(java.util.Locale.ROOT)) : null;
      Object body = request.get(parameter);
      String value = header != null && !header.isBlank() ? header.trim() : isBlank(body) ? null : String.valueOf(body).trim();
      if (value != null) {
        values.put(parameter, value);
      }
    }
    return values;
  }
}

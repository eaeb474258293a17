package org.opencallback.admin;

import org.opencallback.observability.CallbackLog;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.opencallback.callback.CallbackService;
import org.opencallback.callback.admission.CustomerNumbers;
import org.opencallback.config.Configuration;
import org.opencallback.config.ServiceConfig;
import org.opencallback.domain.Callback;
import org.opencallback.domain.CallbackException;
import org.opencallback.domain.CallbackState;
import org.opencallback.domain.CompletionReason;
import org.opencallback.domain.ErrorCode;
import org.opencallback.domain.Times;
import org.opencallback.store.CallbackStore;
import org.opencallback.store.DeleteResult;
import org.opencallback.store.QueueQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's operations (api.md §8, §9, §11–§13): query by queue, watermarks, forget-me,
 * bulk cancel and the cancelled-callbacks export. Thread-safe.
 */
public final class AdminService {
  private static final Logger CALLBACKS = LoggerFactory.getLogger(CallbackLog.LOGGER);

  /** Default window of the queue query: desired time from 15 minutes ago … */
  public static final Duration DEFAULT_BACK = Duration.ofMinutes(15);
  /** … to 24 hours ahead. */
  public static final Duration DEFAULT_AHEAD = Duration.ofHours(24);
  /** Widest window the queue query accepts. */
  public static final Duration MAX_RANGE = Duration.ofDays(31);
  public static final int DEFAULT_MAX = 500;
  public static final int LIMIT_MAX = 10_000;
  /** In-execution callbacks not changed for this long are left out of the watermarks (GMS: 3 h). */
  public static final Duration WATERMARK_STALE = Duration.ofHours(3);
  /** States counted by the watermarks: neither SCHEDULED nor COMPLETED. */
  public static final Set<CallbackState> IN_EXECUTION =
      EnumSet.of(CallbackState.QUEUED, CallbackState.ROUTING, CallbackState.PROCESSING, CallbackState.PAUSED);
  /** States a forget-me request may delete (GDPR: never one in execution). */
  public static final Set<CallbackState> DELETABLE = EnumSet.of(CallbackState.SCHEDULED, CallbackState.COMPLETED);
  /** Export window: desired time from 30 days ago to 15 days ahead. */
  public static final Duration REPORT_BACK = Duration.ofDays(30);
  public static final Duration REPORT_AHEAD = Duration.ofDays(15);
  public static final int REPORT_MAX_ROWS = 100_000;
  public static final List<String> DEFAULT_REPORT_COLUMNS = List.of(
      "_desired_time", "_service_name", "_customer_number", "urs_virtual_queue", "_vq_for_outbound_calls", "target");
  /** Most callbacks one forget-me customer number may delete at once. */
  static final int MAX_PER_NUMBER = 10_000;

  /** Parameters of the queue query that are not filters (the credentials of GMS's second form included). */
  static final Set<String> QUEUE_CONTROL =
      Set.of("target", "start_time", "end_time", "states", "max", "username", "password");

  private final Supplier<Configuration> config;
  private final CallbackStore store;
  private final CallbackService callbacks;
  private final CustomerNumbers numbers;
  private final Clock clock;

  public AdminService(
      Supplier<Configuration> config, CallbackStore store, CallbackService callbacks, CustomerNumbers numbers,
      Clock clock) {
    this.config = config;
    this.store = store;
    this.callbacks = callbacks;
    this.numbers = numbers;
    this.clock = clock;
  }

  /**
   * {@code GET /genesys/1/admin/callback/queues}: each service's callbacks whose desired time lies in
   * the window, in service order.
   */
  public Map<String, List<Callback>> queues(Map<String, String> params) {
    Configuration configuration = config.get();
    Instant now = clock.instant();
    Instant start = time(params, "start_time", null);
    Instant end = time(params, "end_time", null);
    if (start == null) {
      start = end == null ? now.minus(DEFAULT_BACK) : end.minus(DEFAULT_AHEAD);
    } else if (end == null) {
      end = start.plus(DEFAULT_AHEAD);
    }
    if (end == null) {
      end = now.plus(DEFAULT_AHEAD);
    }
    if (end.isBefore(start)) {
      throw filterError("end_time=" + params.get("end_time"));
    }
    long minutes = Duration.between(start, end).toMinutes();
    if (Duration.between(start, end).compareTo(MAX_RANGE) > 0) {
      throw new CallbackException(
          ErrorCode.INVALID_OPERATION,
          CallbackException.Fault.NOT_ALLOWED,
          String.format(Locale.ROOT,
              "Query range spans too wide time range (%d / %d). Adjust query parameters for time range.",
              minutes, MAX_RANGE.toMinutes()),
          Map.of("range", minutes, "max-range", MAX_RANGE.toMinutes()),
          Map.of());
    }
    Set<CallbackState> states = states(params.get("states"));
    int max = max(params.get("max"));
    List<String> filterKeys = configuration.callback().list("filter-keys");
    Map<String, String> filters = new LinkedHashMap<>();
    for (Map.Entry<String, String> param : params.entrySet()) {
      if (QUEUE_CONTROL.contains(param.getKey())) {
        continue;
      }
      if (!filterKeys.contains(param.getKey())) {
        throw filterError(param.getKey() + "=" + param.getValue());
      }
      String value = param.getValue().trim();
      if (param.getKey().equals("_callback_state")) {
        value = CallbackState.parse(value).orElseThrow(() -> filterError("_callback_state=" + param.getValue())).name();
      }
      filters.put(param.getKey(), value);
    }
    List<ServiceConfig> services = new ArrayList<>();
    String target = params.get("target");
    if (target == null || target.isBlank()) {
      services.addAll(configuration.services().values());
    } else {
      for (String name : target.split(",")) {
        if (!name.isBlank()) {
          services.add(callbacks.service(configuration, name.trim()));
        }
      }
    }
    Map<String, List<Callback>> found = new LinkedHashMap<>();
    for (ServiceConfig service : services) {
      Map<String, String> serviceFilters = new LinkedHashMap<>(filters);
      serviceFilters.computeIfPresent("_customer_number", (k, v) -> numbers.lookupForm(service, v));
      found.put(service.name(),
          store.inQueue(new QueueQuery(service.name(), states, start, end, serviceFilters, max)));
    }
    return found;
  }

  /**
   * {@code GET /genesys/1/admin/callback/watermarks}: callbacks in execution per service.
   *
   * @param serviceNames the services asked for; empty for every configured service
   */
  public Watermarks watermarks(List<String> serviceNames) {
    Map<String, Long> counts = store.countInStates(IN_EXECUTION, clock.instant().minus(WATERMARK_STALE));
    List<String> names = new ArrayList<>();
    serviceNames.stream().map(String::trim).filter(n -> !n.isEmpty()).distinct().forEach(names::add);
    if (names.isEmpty()) {
      names.addAll(config.get().services().keySet());
    }
    Map<String, Long> services = new LinkedHashMap<>();
    long total = 0;
    for (String name : names) {
      long count = counts.getOrDefault(name, 0L);
      services.put(name, count);
      total += count;
    }
    return new Watermarks(total, services);
  }

  /** What watermarks count: the total and each service's count. */
  public record Watermarks(long total, Map<String, Long> services) {}

  /**
   * {@code POST /genesys/1/admin/callback/ops/delete} (forget me): deletes the callbacks with these
   * ids and those of these customer numbers, history included, when SCHEDULED or COMPLETED.
   */
  public Outcome forget(List<String> ids, List<String> customerNumbers) {
    if (ids.isEmpty() && customerNumbers.isEmpty()) {
      throw CallbackException.invalidParameter("Nothing to delete: give _id and/or _customer_number");
    }
    List<Map<String, Object>> success = new ArrayList<>();
    List<Map<String, Object>> errors = new ArrayList<>();
    Set<String> done = new LinkedHashSet<>();
    for (String id : ids) {
      if (done.add(id)) {
        DeleteResult result = store.delete(id, DELETABLE);
        if (result.found() == null) {
          errors.add(error(ErrorCode.INVALID_PARAMETER, id, "Callback " + id + " not found"));
        } else {
          record(result, success, errors);
        }
      }
    }
    for (String number : customerNumbers) {
      Set<String> found = new LinkedHashSet<>();
      Set<String> forms = numberForms(number);
      for (String form : forms) {
        found.addAll(store.idsByCustomerNumber(form, MAX_PER_NUMBER));
      }
      // the daily per-parameter throttle counts hold the number too (docs/admin.md)
      store.forgetThrottleCounts(forms);
      found.removeAll(done);
      if (found.isEmpty()) {
        Map<String, Object> none = new LinkedHashMap<>();
        none.put("_customer_number", number);
        none.put("reason", "no callback(s) to delete");
        success.add(none);
        continue;
      }
      for (String id : found) {
        done.add(id);
        DeleteResult result = store.delete(id, DELETABLE);
        if (result.found() != null) {
          record(result, success, errors);
        }
      }
    }
    return new Outcome(success, errors);
  }

  private static void record(DeleteResult result, List<Map<String, Object>> success, List<Map<String, Object>> errors) {
    Callback callback = result.found();
    if (result.deleted()) {
      CALLBACKS.info("Callback {} of {} deleted ({} when deleted)", callback.id(), callback.service(), callback.state());
      Map<String, Object> deleted = new LinkedHashMap<>();
      deleted.put("_id", callback.id());
      success.add(deleted);
    } else {
      errors.add(error(ErrorCode.INVALID_OPERATION, callback.id(),
          "Callback " + callback.id() + " cannot be deleted - _callback_state=" + callback.state().name()));
    }
  }

  /** The stored forms a customer number given to forget-me may have, one per service's number rules. */
  private Set<String> numberForms(String number) {
    Set<String> forms = new LinkedHashSet<>();
    forms.add(number.trim());
    for (ServiceConfig service : config.get().services().values()) {
      forms.add(numbers.lookupForm(service, number));
    }
    return forms;
  }

  /**
   * {@code POST /genesys/1/admin/callback/cancel}: cancels each callback, which ends COMPLETED with
   * {@code reason} (CANCELLED_BY_ADMIN by default); one that cannot be cancelled is reported in
   * {@code errors}, the others are cancelled all the same.
   */
  public Outcome cancel(String reason, List<String> ids) {
    String why = reason == null || reason.isBlank() ? CompletionReason.CANCELLED_BY_ADMIN.name() : reason.trim();
    if (why.length() > 64) {
      throw CallbackException.invalidParameter("reason is longer than 64 characters");
    }
    if (ids.isEmpty()) {
      throw CallbackException.invalidParameter("ids is missing: give the ids of the callbacks to cancel");
    }
    List<Map<String, Object>> cancelled = new ArrayList<>();
    List<Map<String, Object>> errors = new ArrayList<>();
    for (String id : new LinkedHashSet<>(ids)) {
      try {
        Callback callback = callbacks.find(id)
            .orElseThrow(() -> new CallbackException(ErrorCode.NOT_FOUND, CallbackException.Fault.NOT_FOUND,
                "No such request to cancel : [" + id + "]", Map.of("id", id), Map.of()));
        callbacks.cancel(callback.service(), id, why, "admin", true);
        cancelled.add(Map.of("_id", id));
      } catch (CallbackException e) {
        errors.add(error(e.code(), id, e.getMessage()));
      }
    }
    return new Outcome(cancelled, errors);
  }

  /** Per-item results: those that worked and the errors {code, phrase, _id, message}. */
  public record Outcome(List<Map<String, Object>> success, List<Map<String, Object>> errors) {}

  /**
   * {@code POST /genesys/1/admin/callback/reportcancelled}: COMPLETED callbacks with this reason whose
   * desired time lies from 30 days ago to 15 days ahead, as rows of the columns asked for.
   *
   * @param columns the {@code exported_properties}, each possibly a comma list; empty for the defaults
   */
  public Report cancelledReport(String reason, List<String> columns) {
    if (reason == null || reason.isBlank()) {
      throw CallbackException.invalidParameter("Callback reason is missing.");
    }
    List<String> header = new ArrayList<>();
    for (String column : columns) {
      for (String name : column.split(",")) {
        if (!name.isBlank() && !header.contains(name.trim())) {
          header.add(name.trim());
        }
      }
    }
    if (header.isEmpty()) {
      header.addAll(DEFAULT_REPORT_COLUMNS);
    }
    Instant now = clock.instant();
    List<Callback> found = store.completedWithReason(
        reason.trim(), now.minus(REPORT_BACK), now.plus(REPORT_AHEAD), REPORT_MAX_ROWS);
    Configuration configuration = config.get();
    List<List<String>> rows = new ArrayList<>();
    for (Callback callback : found) {
      List<String> row = new ArrayList<>();
      for (String column : header) {
        row.add(value(configuration, callback, column));
      }
      rows.add(row);
    }
    return new Report(header, rows);
  }

  /** The cancelled export: column names and one row per callback. */
  public record Report(List<String> header, List<List<String>> rows) {}

  /**
   * A column of the export: the callback's own field, else its property of that name (or with a
   * leading {@code _}), else its service's option of that name (or with a leading {@code _}); empty
   * when none has it. {@code _service_id} is the callback's id.
   */
  static String value(Configuration configuration, Callback callback, String column) {
    String system = callback.systemField(column.equals("_service_id") ? "_id" : column);
    if (system != null) {
      return system;
    }
    String alternative = column.startsWith("_") ? column.substring(1) : "_" + column;
    Map<String, Object> shown = callback.shownServerState();
    for (String name : List.of(column, alternative)) {
      Object property = callback.properties().get(name);
      if (property == null) {
        property = shown.get(name); // e.g. _disposition: server-owned, exported read-only
      }
      if (property != null) {
        return String.valueOf(property);
      }
    }
    Map<String, String> service = configuration.section(Configuration.SERVICE_PREFIX + callback.service());
    for (String name : List.of(column, alternative)) {
      String option = service.get(name);
      if (option != null) {
        return option;
      }
    }
    return "";
  }

  private static Map<String, Object> error(ErrorCode code, String id, String message) {
    Map<String, Object> error = new LinkedHashMap<>();
    error.put("code", code.code());
    error.put("phrase", code.phrase());
    error.put("_id", id);
    error.put("message", message);
    return error;
  }

  private static Instant time(Map<String, String> params, String name, Instant fallback) {
    String value = params.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    return Times.parse(value).orElseThrow(() -> filterError(name + "=" + value));
  }

  private static Set<CallbackState> states(String value) {
    Set<CallbackState> states = EnumSet.noneOf(CallbackState.class);
    if (value == null || value.isBlank()) {
      return states;
    }
    for (String name : value.split(",")) {
      if (!name.isBlank()) {
        states.add(CallbackState.parse(name).orElseThrow(() -> filterError("states=" + value)));
      }
    }
    return states;
  }

  private static int max(String value) {
    if (value == null || value.isBlank()) {
      return DEFAULT_MAX;
    }
    try {
      int max = Integer.parseInt(value.trim());
      if (max >= 1 && max <= LIMIT_MAX) {
        return max;
      }
    } catch (NumberFormatException e) {
      // refused below
    }
    throw filterError("max=" + value);
  }

  static CallbackException filterError(String filter) {
    return new CallbackException(
        ErrorCode.INVALID_OPERATION,
        CallbackException.Fault.NOT_ALLOWED,
        "Cannot process 'filter' parameter correctly : " + filter,
        Map.of("filter", filter),
        Map.of());
  }
}
